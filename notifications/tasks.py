"""Celery tasks of the notifications app: thin, keyword-only ids, explicit names. Every one of
them is safe to run twice or at the same time as itself."""

import time
from datetime import date

from celery import shared_task
from django.conf import settings

from . import relay as outbox_relay
from . import services


@shared_task(name="portal.notifications.relay", ignore_result=True)
def relay(*, email_ids=None):
    """Send the given outbound e-mails, or, without ids (the beat sweep), every due one."""
    if email_ids is None:
        return outbox_relay.sweep()
    return outbox_relay.deliver_many(email_ids)


@shared_task(name="portal.notifications.send_digests", ignore_result=True)
def send_digests(*, day=None):
    """Bundle each user's held e-mails into one digest for ``day`` (ISO date, default today in
    Asia/Shanghai). When its time runs out it queues itself to finish the same day."""
    deadline = time.monotonic() + settings.NOTIFICATIONS_SWEEP_SECONDS
    result = services.build_digests(day=date.fromisoformat(day) if day else None,
                                    deadline=deadline)
    if not result.finished:
        send_digests.apply_async(kwargs={"day": result.day.isoformat()})
    return result.built
