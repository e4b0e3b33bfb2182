"""Hooks that apps above ``demands`` fill from their ``AppConfig.ready()``, so that demands
never imports them.

``register_published(callback)``: ``callback(demand)`` runs inside the publishing transaction,
after the status is saved (``services.workflow.on_published``). Anything it sends must be
written to an outbox in that transaction, so a rollback leaves nothing behind and a broker
outage delays the message without failing the publication.

``register_ended(callback)``: ``callback(demand)`` runs inside the transaction that takes a
published demand off the public pages (closed or withdrawn), after the status is saved
(``services.workflow.on_unpublished``); the same rules apply.

``register_links(callback)``: ``callback(user, *, ref, demand, page)`` returns ``[(label, url)]``
of links an app above offers on a demand's pages (``page`` is ``"public"`` or ``"private"``;
``demand`` may be None on the public page, whose body comes from the cache); rendered by the
``{% demand_links %}`` tag.
"""

_published = []
_ended = []
_links = []


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


def register_links(callback):
    """Offer links on the demand pages; registering it again changes nothing."""
    if callback not in _links:
        _links.append(callback)


def links(user, *, ref, demand=None, page):
    """``[(label, url)]`` from every registered callback, in registration order."""
    return [link for callback in _links for link in callback(user, ref=ref, demand=demand,
                                                             page=page)]
