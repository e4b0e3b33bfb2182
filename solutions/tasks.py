"""Celery tasks of the solutions app: explicit names, keyword-only arguments, one service call
each, safe to run twice."""

from celery import shared_task

from .services.answered import remind_overdue


@shared_task(name="portal.solutions.remind_overdue", ignore_result=True)
def remind_overdue_task():
    """Remind host staff of overdue unanswered demands (beat, each working day)."""
    return remind_overdue()
