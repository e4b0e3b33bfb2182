"""Hooks that apps above ``demands`` fill from their ``AppConfig.ready()``, so that demands
never imports them.

``register_published(callback)``: ``callback(demand)`` runs inside the publishing transaction,
after the status is saved (``services.workflow.on_published``). Anything it sends must be
written to an outbox in that transaction, so a rollback leaves nothing behind and a broker
outage delays the message without failing the publication.
"""

_published = []


def register_published(callback):
    """Run ``callback(demand)`` on every publication; registering it again changes nothing."""
    if callback not in _published:
        _published.append(callback)


def published(demand):
    """Run the publication hooks (from the publishing transaction)."""
    for callback in _published:
        callback(demand)
