"""Hooks that apps above ``demands`` fill from their ``AppConfig.ready()``, so that demands
never imports them.

``register_published(callback)``: ``callback(demand)`` runs inside the publishing transaction,
after the status is saved (``services.workflow.on_published``). Anything it sends must be
written to an outbox in that transaction, so a rollback leaves nothing behind and a broker
outage delays the message without failing the publication.

``register_ended(callback)``: ``callback(demand)`` runs inside the transaction that takes a
published demand off the public pages (closed or withdrawn), after the status is saved
(``services.workflow.on_unpublished``); the same rules apply.
"""

_published = []
_ended = []


def register_published(callback):
    """Run ``callback(demand)`` on every publication; registering it again changes nothing."""
    if callback not in _published:
        _published.append(callback)


def published(demand):
    """Run the publication hooks (from the publishing transaction)."""
    for callback in _published:
        callback(demand)


def register_ended(callback):
    """Run ``callback(demand)`` whenever a published demand is closed or withdrawn; registering
    it again changes nothing."""
    if callback not in _ended:
        _ended.append(callback)


def ended(demand):
    """Run the hooks of a demand that stopped accepting answers (from its transaction)."""
    for callback in _ended:
        callback(demand)
