"""Celery tasks of the push: keyword-only ids, explicit names, each safe to run twice or at the
same time as itself (a job or delivery is claimed by one run; the outbox keys do the rest).
Registered with the worker by ``PushConfig.ready()``. The names keep the ``portal.notifications``
prefix they had before the push left the notifications app, so queued messages still run."""

import time

from celery import shared_task
from django.conf import settings

from . import fanout, webhooks
from .enums import PushState


@shared_task(name="portal.notifications.fan_out_publication", ignore_result=True)
def fan_out_publication(*, demand_id):
    """Notify the subscribers and webhooks of ``demand_id``'s publication; when its time is up
    it queues itself to go on from its checkpoint. Returns the job's notified count."""
    deadline = time.monotonic() + settings.PUSH_RUN_SECONDS
    result = fanout.run_for_demand(demand_id, deadline=deadline)
    if result.claimed and not result.finished and result.state == PushState.PENDING:
        fanout.kick(demand_id)
    return result.notified


@shared_task(name="portal.notifications.push_sweep", ignore_result=True)
def push_sweep():
    """Beat, every minute: run the fan-outs a broker outage, a dead worker or a backoff left
    waiting."""
    return fanout.sweep()


@shared_task(name="portal.notifications.deliver_webhooks", ignore_result=True)
def deliver_webhooks(*, delivery_ids=None):
    """Attempt the given webhook deliveries, or, without ids (the beat sweep), every due one."""
    if delivery_ids is None:
        return webhooks.sweep()
    return webhooks.deliver_many(delivery_ids)
