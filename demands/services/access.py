"""Access to a published demand's hidden details (seed 四(三), DESIGN.md §3 rule 1).

A challenger who has signed the contest's current NDA and disclaimer asks for access; the
owner organisation's administrators or the host unit's staff grant, decline or later revoke
it. Every decision and every opening of the hidden details is logged, and the owner sees who
opened them, when, and under which NDA version. The contact person's phone and e-mail reach a
granted challenger only with the contact person's separate consent (PIPL art. 23); otherwise
they stay masked and the challenger writes through the portal (the clarification threads of
the solutions app).

Views call these functions; each raises :class:`AccessError` with a message for the user when
it refuses.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.enums import AgreementKind, MembershipRole, MembershipState
from accounts.models import Membership
from accounts.permissions import is_challenger
from audit.services import log_action
from common.errors import DomainError
from common.masking import mask_email, mask_mobile, mask_phone
from common.workflow import Workflow

from .. import permissions
from ..enums import ACCESS_EDGES, ACCESS_TRANSITIONS, AccessState, HideableField
from ..models import AccessRequest, AccessRequestTransition, Demand, HiddenDetailView
from ..public.projection import (
    PUBLIC_STATES,
    PublicDemand,
    attachments_of,
    project,
)

MAX_MESSAGE_LENGTH = 2000


class AccessError(DomainError):
    """A refused access operation; ``message`` is shown to the user as is."""


def demand_contest(demand):
    return demand.host_unit.event.contest


def _notify(recipient, *, kind, key, context, url, demand):
    from notifications.services import notify

    notify(recipient=recipient, kind=kind, context=context, idempotency_key=key, url=url,
           obj=demand)


def owner_admins(demand):
    """Active administrators of the owner organisation: they answer requests and messages."""
    return [membership.user for membership in
            Membership.objects.filter(organisation_id=demand.organisation_id,
                                      role=MembershipRole.ADMIN, state=MembershipState.ACTIVE,
                                      user__is_active=True)
            .select_related("user").order_by("pk")]


def access_state(user, demand):
    """The state of the user's access request for the demand, or "" when there is none."""
    if user is None or not user.is_authenticated:
        return ""
    return (AccessRequest.objects.filter(demand=demand, user=user)
            .values_list("state", flat=True).first() or "")


def has_signed_agreements(user, demand):
    from accounts.agreements import has_signed_current

    return has_signed_current(user, demand_contest(demand),
                              kinds=(AgreementKind.NDA, AgreementKind.DISCLAIMER))


# --- requests and decisions -------------------------------------------------------------------
def request_access(demand, *, user, message="", request=None):
    """A challenger asks to see the demand's hidden details (again, after a decline)."""
    message = (message or "").strip()[:MAX_MESSAGE_LENGTH]
    with transaction.atomic():
        locked = (Demand.objects.select_for_update()
                  .select_related("host_unit__event__contest").get(pk=demand.pk))
        if locked.status not in PUBLIC_STATES:
            raise AccessError(gettext("This demand is not published."))
        if locked.status != PUBLIC_STATES[0]:
            raise AccessError(gettext("This demand is closed; access can no longer be "
                                      "requested."))
        if not is_challenger(user):
            raise AccessError(gettext("Only challengers can ask for access to hidden "
                                      "details."))
        if permissions.can_view_full_demand(user, locked):
            raise AccessError(gettext("You already see every detail of this demand."))
        if not has_signed_agreements(user, locked):
            raise AccessError(gettext("Sign the current non-disclosure agreement and "
                                      "disclaimer first."))
        existing = AccessRequest.objects.select_for_update().filter(demand=locked,
                                                                    user=user).first()
        if existing is not None:
            if AccessState.REQUESTED not in ACCESS_TRANSITIONS[AccessState(existing.state)]:
                raise AccessError({
                    AccessState.REQUESTED: gettext("You have already asked; the owner has not "
                                                   "answered yet."),
                    AccessState.GRANTED: gettext("You already have access."),
                    AccessState.REVOKED: gettext("Your access was revoked; ask the host unit "
                                                 "if you think this is a mistake."),
                }.get(AccessState(existing.state), gettext("Access cannot be requested.")))
            previous_decision = existing.decided_at
            ACCESS_WORKFLOW.transition(existing, AccessState.REQUESTED, actor=user, request=request,
                                data={"access_request": existing.pk}, message=message,
                                decided_by=None, decided_at=None)
            access = existing
        else:
            previous_decision = None
            try:
                with transaction.atomic():
                    access = AccessRequest.objects.create(demand=locked, user=user,
                                                          message=message)
            except IntegrityError:
                raise AccessError(gettext("You have already asked; the owner has not answered "
                                          "yet.")) from None
            log_action("portal.demand.access_requested", actor=user, obj=locked,
                       request=request, to_state=AccessState.REQUESTED,
                       data={"access_request": access.pk})
        # One notification per round of asking: a new round follows the previous decline.
        round_key = previous_decision.timestamp() if previous_decision else "first"
        for admin in owner_admins(locked):
            _notify(admin, kind="demand.access_requested",
                    key=f"demand-access-{access.pk}-requested-{round_key}-{admin.pk}",
                    context={"ref": locked.ref, "title": locked.title,
                             "challenger": str(user), "message": message},
                    url=_manage_url(locked), demand=locked)
    return access


def _manage_url(demand):
    return reverse("demands:access_manage", kwargs={"ref": demand.ref})


def _notify_decision(step):
    access, demand = step.obj, step.obj.demand
    _notify(access.user, kind="demand.access_decided",
            key=f"demand-access-{access.pk}-{step.target}-{access.decided_at.timestamp()}",
            context={"ref": demand.ref, "title": _public_title(demand), "state": str(step.target)},
            url=reverse("demands:detail", kwargs={"ref": demand.ref}), demand=demand)


def _after(step):
    # A renewed request is announced by ``request_access``; decisions go to the challenger.
    if step.target != AccessState.REQUESTED:
        _notify_decision(step)


ACCESS_WORKFLOW = Workflow(
    model=AccessRequest, states=AccessState, edges=ACCESS_EDGES, permissions=permissions,
    history=AccessRequestTransition, audit="portal.demand",
    audit_object=lambda access: access.demand,
    select_related=("demand__host_unit", "user"), touch=[],
    messages={
        "illegal": gettext_lazy("A request that is “%(from)s” cannot become “%(to)s”."),
        "denied": gettext_lazy("Only the owner's administrators and the host unit's staff "
                               "decide on access."),
    },
    error=AccessError, after=_after,
)


def _decide(access_request, *, actor, to_state, request=None):
    return ACCESS_WORKFLOW.transition(
        access_request, to_state, actor=actor, request=request,
        data={"access_request": access_request.pk, "challenger": access_request.user_id},
        decided_by=actor, decided_at=timezone.now(),
    )


def _public_title(demand):
    """The challenger may not have been granted: tell it only the public title."""
    return demand.public_snapshot.get("title") if demand.public_snapshot else demand.ref


def grant_access(access_request, *, actor, request=None):
    """The owner's administrator or host staff let the challenger see the hidden details."""
    return _decide(access_request, actor=actor, to_state=AccessState.GRANTED, request=request)


def decline_access(access_request, *, actor, request=None):
    return _decide(access_request, actor=actor, to_state=AccessState.DECLINED, request=request)


def revoke_access(access_request, *, actor, request=None):
    return _decide(access_request, actor=actor, to_state=AccessState.REVOKED, request=request)


# --- the full details -------------------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorRow:
    name: str
    target_value: str
    unit: str
    current_value: str


@dataclass(frozen=True)
class FullDetails:
    """What a granted challenger sees: the public projection (for the labels and public
    parts) and the original texts and hidden values, with the contact's phone and e-mail
    masked unless the contact person consented to share them."""

    public: PublicDemand
    organisation_name: str
    title: str
    keywords: tuple
    current_base: str
    key_problem: str
    expected_outcome: str
    time_requirement: str
    challenger_conditions: str
    indicators: tuple
    budget: str
    prize: str
    address: str
    contact_person: str
    contact_mobile: str
    contact_landline: str
    contact_email: str
    contact_shared: bool
    attachments: tuple              # of (file name, download URL)
    hidden_fields: tuple

    @property
    def hidden_field_labels(self):
        return [HideableField(name).label for name in self.hidden_fields
                if name in HideableField.values]


def full_details(demand):
    """The full details of a demand for a granted challenger (see :class:`FullDetails`)."""
    from ..public.projection import _money

    shared = bool(demand.contact_consents_sharing)
    return FullDetails(
        public=project(demand),
        organisation_name=demand.organisation.name,
        title=demand.title,
        keywords=tuple(demand.keywords or ()),
        current_base=demand.current_base,
        key_problem=demand.key_problem,
        expected_outcome=demand.expected_outcome,
        time_requirement=demand.time_requirement,
        challenger_conditions=demand.challenger_conditions,
        indicators=tuple(IndicatorRow(row.name, row.target_value, row.unit, row.current_value)
                         for row in demand.indicators.all()),
        budget=_money(demand.budget),
        prize=_money(demand.prize),
        address=demand.address,
        contact_person=demand.contact_person,
        contact_mobile=demand.contact_mobile if shared else mask_mobile(demand.contact_mobile),
        contact_landline=(demand.contact_landline if shared
                          else mask_phone(demand.contact_landline)),
        contact_email=demand.contact_email if shared else mask_email(demand.contact_email),
        contact_shared=shared,
        attachments=tuple((item.original_name, item.get_absolute_url())
                          for item in attachments_of(demand)),
        hidden_fields=tuple(demand.hidden_fields or ()),
    )


def record_hidden_view(demand, *, user, request=None):
    """Log one opening of the hidden details with the NDA version the viewer signed."""
    from accounts.agreements import current_agreement

    nda = current_agreement(demand_contest(demand), AgreementKind.NDA)
    with transaction.atomic():
        view = HiddenDetailView.objects.create(
            demand=demand, user=user, nda=nda,
            ip_address=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
        )
        log_action("portal.demand.view_hidden", actor=user, obj=demand, request=request,
                   data={"nda": nda.pk if nda else None,
                         "nda_version": nda.version if nda else None})
    return view


def hidden_view_log(demand):
    """Who opened the demand's hidden details, when, and under which NDA version."""
    return (HiddenDetailView.objects.filter(demand=demand)
            .select_related("user", "nda").order_by("-viewed_at", "-pk"))


def access_requests_of(demand):
    return (AccessRequest.objects.filter(demand=demand)
            .select_related("user", "decided_by").order_by("-created_at", "-pk"))


__all__ = [
    "AccessError", "ACCESS_TRANSITIONS", "FullDetails", "access_requests_of", "access_state",
    "decline_access", "full_details", "grant_access", "has_signed_agreements",
    "hidden_view_log", "owner_admins", "record_hidden_view", "request_access",
    "revoke_access",
]
