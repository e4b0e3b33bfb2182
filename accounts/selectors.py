"""Reads: what a user may see of organisations, memberships and signatures."""

from django.db.models import Count, Q

from .credit_code import normalise as normalise_credit_code
from .enums import MembershipRole, MembershipState
from .models import AgreementSignature, Membership, Organisation
from .permissions import is_torch_staff

SEARCH_LIMIT = 20


def memberships_of(user):
    """The user's memberships in every state, with their organisation, by name."""
    return (Membership.objects.filter(user=user).select_related("organisation")
            .order_by("organisation__name"))


def organisations_visible_to(user):
    """Organisations whose page the user may open: those they are an active member of; all of
    them for Torch staff."""
    if is_torch_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__state=MembershipState.ACTIVE
    ).distinct()


# Functions ``user -> queryset of organisation ids`` that apps above accounts register from
# their ``AppConfig.ready()``: the ways a host organiser deals with an organisation (a demand
# filed at its units, a member on its staff).
_organisation_ties = []


def register_organisation_tie(tie):
    if tie not in _organisation_ties:
        _organisation_ties.append(tie)


def organisations_managed_by(user):
    """Organisations a staff user deals with, in admin: all of them for Torch staff; for
    anybody else those tied to the user by a registered tie, none without one."""
    if is_torch_staff(user):
        return Organisation.objects.all()
    if user is None or not user.is_authenticated or not user.is_active or not _organisation_ties:
        return Organisation.objects.none()
    condition = Q()
    for tie in _organisation_ties:
        condition |= Q(pk__in=tie(user))
    return Organisation.objects.filter(condition)


def members_of(organisation):
    """Active members, administrators first."""
    return (Membership.objects.filter(organisation=organisation, state=MembershipState.ACTIVE)
            .select_related("user").order_by("role", "user__full_name", "user__email"))


def pending_requests_for(organisation):
    return (Membership.objects.filter(organisation=organisation, state=MembershipState.PENDING)
            .select_related("user").order_by("created_at"))


def pending_requests_for_admin(user):
    """Join requests waiting for a decision in every organisation the user administers."""
    administered = Membership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role=MembershipRole.ADMIN
    ).values("organisation_id")
    return (Membership.objects.filter(organisation_id__in=administered,
                                      state=MembershipState.PENDING)
            .select_related("user", "organisation").order_by("created_at"))


def search_organisations(query, *, limit=SEARCH_LIMIT):
    """Organisations whose name contains the query or whose credit code is the query, with
    their number of active members. An empty query finds nothing."""
    query = (query or "").strip()
    if not query:
        return Organisation.objects.none()
    condition = Q(name__icontains=query)
    code = normalise_credit_code(query)
    if len(code) == 18:
        condition |= Q(credit_code=code)
    return (Organisation.objects.filter(condition)
            .annotate(member_count=Count("memberships",
                                         filter=Q(memberships__state=MembershipState.ACTIVE)))
            .order_by("name")[:limit])


def signatures_of(user):
    """The user's agreement signatures with their agreement and its scope (the contest), newest
    first."""
    return (AgreementSignature.objects.filter(user=user)
            .select_related("agreement").prefetch_related("agreement__scope")
            .order_by("-signed_at"))
