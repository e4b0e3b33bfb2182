"""Celery tasks of the audit app: thin, explicit names."""

from celery import shared_task

from . import anchors


@shared_task(name="portal.audit.export_anchor", ignore_result=True)
def export_anchor():
    """Append the chain's head to the anchor sink (beat, every ``AUDIT_ANCHOR_SECONDS``)."""
    anchor = anchors.export_anchor()
    return anchor.sequence if anchor else None
