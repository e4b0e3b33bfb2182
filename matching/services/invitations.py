"""Invitations: host staff (or an agency commissioned for holder search) invite a technology
holder to answer a published demand, in one click; the holder is told through the outbox, reads
the demand's public page (and may ask for access to its hidden details) and accepts or
declines. An accepted invitation is a response to the demand (``solutions.record_response``).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import MembershipState
from accounts.models import Membership
from audit.services import log_action
from common.workflow import Workflow
from contests.models import HostMembership
from contests.permissions import is_host_staff_of
from notifications.services import notify_many
from solutions.enums import ResponseKind
from solutions.services.responses import record_response

from .. import permissions
from ..enums import INVITATION_EDGES, CommissionScope, InvitationState
from ..models import Invitation, InvitationTransition
from .agencies import log_agency_action
from .base import MatchingError

MAX_MESSAGE = 2000


class InvitationError(MatchingError):
    default_code = "invitation_refused"


def _members(organisation_id):
    return list(Membership.objects.filter(organisation_id=organisation_id,
                                          state=MembershipState.ACTIVE, user__is_active=True)
                .values_list("user_id", flat=True))


def _host_side(invitation):
    """Who hears the answer: whoever invited, and the host unit's staff."""
    ids = set(HostMembership.objects.filter(host_unit_id=invitation.demand.host_unit_id)
              .values_list("user_id", flat=True))
    ids.add(invitation.invited_by_id)
    return sorted(ids)


def _after_answer(step):
    invitation = step.obj
    demand = invitation.demand
    if step.target == InvitationState.ACCEPTED:
        record_response(demand, kind=ResponseKind.INVITATION,
                        source_ref=f"matching.Invitation:{invitation.pk}", actor=step.actor)
    notify_many(recipient_ids=_host_side(invitation), kind="matching.invitation_answered",
                context={"ref": demand.ref, "title": (demand.public_snapshot or {}).get(
                    "title", demand.ref), "holder": invitation.holder.name,
                    "answer": str(step.target.label)},
                idempotency_key=f"invitation:{invitation.pk}:{step.target}",
                url=invitation.get_absolute_url(), obj=invitation)


INVITATION_WORKFLOW = Workflow(
    model=Invitation, states=InvitationState, edges=INVITATION_EDGES, permissions=permissions,
    history=InvitationTransition, audit="portal.matching.invitation",
    select_related=("demand", "holder"),
    messages={"illegal": gettext_lazy("This invitation was answered already."),
              "denied": gettext_lazy("Only the invited holder may answer this invitation.")},
    error=InvitationError, after=_after_answer,
)


def invite(demand, holder, *, actor, achievement=None, message="", request=None):
    """Invite ``holder`` (an organisation) to answer ``demand``. Host staff of the demand's
    unit, or a member of an agency commissioned for holder search on it (then logged under the
    agency). Inviting again the same holder changes nothing and returns the first invitation."""
    if not permissions.can_invite.test(actor, demand):
        raise InvitationError(_("You may not invite holders to this demand."),
                              code="permission_denied")
    commission = None
    if not is_host_staff_of(actor, demand.host_unit_id):
        commission = permissions.commission_for(actor, demand, CommissionScope.HOLDER_SEARCH)
    message = (message or "").strip()[:MAX_MESSAGE]
    existing = Invitation.objects.filter(demand=demand, holder=holder).first()
    if existing is not None:
        return existing
    public = demand.public_snapshot or {}
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                demand=demand, holder=holder, achievement=achievement, message=message,
                invited_by=actor, commission=commission)
            data = {"holder": holder.pk,
                    "achievement": achievement.pk if achievement else None}
            if commission is not None:
                log_agency_action("portal.matching.invitation.create", commission=commission,
                                  actor=actor, obj=invitation, data=data, request=request)
            else:
                log_action("portal.matching.invitation.create", actor=actor, obj=invitation,
                           data=data, request=request)
            notify_many(recipient_ids=_members(holder.pk), kind="matching.invited",
                        context={"ref": demand.ref, "title": public.get("title", demand.ref),
                                 "host": demand.host_unit.name, "message": message},
                        idempotency_key=f"invitation:{invitation.pk}:sent",
                        url=invitation.get_absolute_url(), obj=invitation)
    except IntegrityError:
        return Invitation.objects.get(demand=demand, holder=holder)
    return invitation


def accept(invitation, *, actor, reason="", request=None):
    return INVITATION_WORKFLOW.transition(invitation, InvitationState.ACCEPTED, actor=actor,
                                          reason=reason, request=request)


def decline(invitation, *, actor, reason="", request=None):
    return INVITATION_WORKFLOW.transition(invitation, InvitationState.DECLINED, actor=actor,
                                          reason=reason, request=request)
