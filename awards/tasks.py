"""Celery tasks of the awards app: explicit names, one service call, safe to run twice."""

from celery import shared_task


@shared_task(name="portal.awards.remind_overdue", ignore_result=True)
def remind_overdue():
    from .services import remind_overdue as run

    return run()


@shared_task(name="portal.awards.schedule_follow_ups", ignore_result=True)
def schedule_follow_ups():
    from .services import schedule_follow_ups as run

    return run()
