"""Celery tasks of the matching app: explicit names, keyword-only ids, one service call each,
safe to run twice."""

import logging

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(name="portal.matching.refresh_demand", ignore_result=True)
def refresh_demand(*, demand_id):
    from demands.models import Demand

    from .services import recommend

    demand = Demand.objects.filter(pk=demand_id).first()
    if demand is not None:
        recommend.refresh_demand(demand)


@shared_task(name="portal.matching.refresh_for_achievement", ignore_result=True)
def refresh_for_achievement(*, achievement_id):
    from .services import recommend

    recommend.refresh_for_achievement(achievement_id)


@shared_task(name="portal.matching.refresh_for_achievements", ignore_result=True)
def refresh_for_achievements(*, achievement_ids):
    """Many achievements at once (an import): one task, not one per row."""
    from .services import recommend

    recommend.refresh_for_achievements(achievement_ids)


@shared_task(name="portal.matching.refresh_stale", ignore_result=True)
def refresh_stale():
    """Demands whose task was lost (broker down at publication): beat, every few minutes."""
    from .services import recommend

    return recommend.refresh_stale()


def _enqueue(task, **ids):
    try:
        task.delay(**ids)
    except Exception:  # noqa: BLE001 - a broker outage must not fail the request
        # refresh_stale (beat) computes it later.
        logger.warning("matching: could not queue %s %s; left to the sweep", task.name, ids)


def on_demand_published(demand):
    """``demands.hooks`` callback: rank the achievements for a demand once its publication
    commits (its public snapshot is written by then)."""
    transaction.on_commit(lambda: _enqueue(refresh_demand, demand_id=demand.pk))
