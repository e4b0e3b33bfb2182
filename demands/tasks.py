"""Celery tasks of the demands app: explicit names, keyword-only arguments, one service call
each, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="portal.demands.close_expired", ignore_result=True)
def close_expired():
    """Close the published demands whose deadline for solutions has passed (beat, daily)."""
    return services.close_expired()
