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

``register_expert_source(source)``: people who act as experts on some demands without holding
the expert role (a commissioned service agency's members, from ``matching``). Once host staff
assign them to a demand (``ExpertAssignment``, as for experts) they use the expert pages while
``source.acting_for(user, demand)`` returns the audit data that names on whose behalf they act
(``{"agency": …, "commission": …}``), and lose them as soon as it returns None.
``source.demand_filter(user)`` is the same question for lists (a ``Q`` over ``Demand``, or None
when the user acts for nobody); ``source.candidates(demand)`` the users host staff may assign.
"""

_published = []
_ended = []
_links = []
_expert_sources = []


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


def register_expert_source(source):
    """Let ``source`` name people who act as experts (see the module's text); registering it
    again changes nothing."""
    if source not in _expert_sources:
        _expert_sources.append(source)


def has_expert_sources():
    return bool(_expert_sources)


def acting_for(user, demand):
    """The audit data of the first source under which ``user`` acts as an expert on
    ``demand`` (a dict, never empty), or None."""
    for source in _expert_sources:
        data = source.acting_for(user, demand)
        if data:
            return data
    return None


def acting_demand_filter(user):
    """A ``Q`` over ``Demand``: the demands on which ``user`` may act as an expert without the
    role, or None when on none."""
    from django.db.models import Q

    found = [q for q in (source.demand_filter(user) for source in _expert_sources)
             if q is not None]
    if not found:
        return None
    condition = Q(pk__in=[])
    for q in found:
        condition |= q
    return condition


def acting_candidates(demand):
    """User ids that the sources offer for assignment to ``demand``."""
    ids = set()
    for source in _expert_sources:
        ids.update(source.candidates(demand).values_list("pk", flat=True))
    return ids
