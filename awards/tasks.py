"""Celery tasks of the awards app: explicit names, one service call, safe to run twice."""

from celery import shared_task


@shared_task(name="portal.awards.remind_overdue", ignore_result=True)
def remind_overdue():
    from .services import remind_overdue as run

    return run()
