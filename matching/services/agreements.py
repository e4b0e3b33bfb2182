"""Intention agreements (合作意向协议): recorded between a demand's owner and a challenger or
holder, confirmed by both sides in the portal. The second confirmation takes the agreement to
"confirmed" and, in the same transaction: the demand is closed through the demands workflow
(it takes no new solutions), the agreement counts as the demand's response, and everyone who
answered the demand is told it was matched (naming nobody)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_org_member
from audit.services import log_action
from common.workflow import Workflow
from demands.enums import CooperationMode, DemandStatus
from demands.models import AccessRequest
from demands.services import mark_matched
from notifications.services import notify_many
from solutions.enums import ResponseKind
from solutions.models import DemandResponse
from solutions.services.responses import record_response

from .. import permissions
from ..enums import AGREEMENT_EDGES, AgreementState, InvitationState
from ..models import IntentionAgreement, IntentionAgreementTransition, Invitation
from .base import MatchingError


class AgreementError(MatchingError):
    default_code = "agreement_refused"


def _members(organisation_ids):
    return set(Membership.objects.filter(organisation_id__in=organisation_ids,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .values_list("user_id", flat=True))


def _answered_users(demand):
    """Everyone who answered the demand: challengers who asked for its details, the actors of
    its responses, members of invited holders."""
    users = set(AccessRequest.objects.filter(demand=demand).values_list("user_id", flat=True))
    users |= {pk for pk in DemandResponse.objects.filter(demand=demand)
              .values_list("actor_id", flat=True) if pk}
    users |= _members(Invitation.objects.filter(demand=demand).values_list("holder_id",
                                                                           flat=True))
    return users


def _after_confirmed(step):
    agreement = step.obj
    demand = agreement.demand
    invited = Invitation.objects.filter(demand=demand, holder=agreement.partner,
                                        state=InvitationState.ACCEPTED).exists()
    record_response(demand, kind=ResponseKind.INVITATION if invited else ResponseKind.SOLUTION,
                    source_ref=f"matching.IntentionAgreement:{agreement.pk}", actor=step.actor)
    # A published demand closes (no new solutions) and its public page says it was matched.
    mark_matched(demand, reason=_("Matched: an intention agreement was confirmed."))
    told = _answered_users(demand) - _members([agreement.partner_id, demand.organisation_id])
    title = (demand.public_snapshot or {}).get("title", demand.ref)
    notify_many(recipient_ids=sorted(told), kind="matching.demand_matched",
                context={"ref": demand.ref, "title": title},
                idempotency_key=f"demand:{demand.pk}:matched", url=demand.get_absolute_url(),
                obj=demand)
    notify_many(recipient_ids=sorted(_members([agreement.partner_id,
                                               demand.organisation_id])),
                kind="matching.agreement",
                context={"ref": demand.ref, "title": title,
                         "state": str(AgreementState.CONFIRMED.label)},
                idempotency_key=f"agreement:{agreement.pk}:confirmed",
                url=agreement.get_absolute_url(), obj=agreement)


AGREEMENT_WORKFLOW = Workflow(
    model=IntentionAgreement, states=AgreementState, edges=AGREEMENT_EDGES,
    permissions=permissions, history=IntentionAgreementTransition,
    audit="portal.matching.agreement", select_related=("demand", "partner"),
    messages={"illegal": gettext_lazy("This agreement is confirmed already."),
              "denied": gettext_lazy("Only the two sides may confirm this agreement.")},
    error=AgreementError, after=_after_confirmed,
)


def record_agreement(demand, partner, *, cooperation_mode, amount, signed_on, actor,
                     signed_file=None, request=None):
    """Record an agreement on ``demand`` with ``partner`` (by the demand's owner or its host
    unit's staff). Nobody has confirmed it yet."""
    if not permissions.can_record_agreement.test(actor, demand):
        raise AgreementError(_("You may not record an agreement for this demand."),
                             code="permission_denied")
    if demand.status != DemandStatus.PUBLISHED:
        raise AgreementError(_("Only a published demand that is still open can be matched."),
                             code="not_open")
    if partner.pk == demand.organisation_id:
        raise AgreementError(_("The partner must be another organisation than the demand's "
                               "owner."), field="partner")
    if cooperation_mode not in CooperationMode.values:
        raise AgreementError(_("Choose a cooperation mode."), field="cooperation_mode")
    amount = Decimal(amount)
    if amount < 0:
        raise AgreementError(_("The amount cannot be negative."), field="amount")
    with transaction.atomic():
        agreement = IntentionAgreement.objects.create(
            demand=demand, partner=partner, cooperation_mode=cooperation_mode, amount=amount,
            signed_on=signed_on, signed_file=signed_file, created_by=actor)
        log_action("portal.matching.agreement.create", actor=actor, obj=agreement,
                   data={"partner": partner.pk, "mode": cooperation_mode,
                         "amount": str(amount)}, request=request)
        notify_many(recipient_ids=sorted(_members([partner.pk, demand.organisation_id])
                                         - {actor.pk}),
                    kind="matching.agreement",
                    context={"ref": demand.ref,
                             "title": (demand.public_snapshot or {}).get("title", demand.ref),
                             "state": str(AgreementState.DRAFT.label)},
                    idempotency_key=f"agreement:{agreement.pk}:recorded",
                    url=agreement.get_absolute_url(), obj=agreement)
    return agreement


def confirm(agreement, *, actor, request=None):
    """Confirm for the side the actor belongs to; the second side's confirmation confirms the
    agreement (and matches the demand)."""
    with transaction.atomic():
        locked = IntentionAgreement.objects.select_for_update(of=("self",)).select_related(
            "demand").get(pk=agreement.pk)
        if not permissions.can_confirm_agreement.test(actor, locked):
            raise AgreementError(_("Only the two sides may confirm this agreement."),
                                 code="permission_denied")
        now = timezone.now()
        changed = []
        if is_org_member(actor, locked.demand.organisation_id) and not locked.owner_confirmed_at:
            locked.owner_confirmed_by, locked.owner_confirmed_at = actor, now
            changed += ["owner_confirmed_by", "owner_confirmed_at"]
        if is_org_member(actor, locked.partner_id) and not locked.partner_confirmed_at:
            locked.partner_confirmed_by, locked.partner_confirmed_at = actor, now
            changed += ["partner_confirmed_by", "partner_confirmed_at"]
        if not changed:
            raise AgreementError(_("Your side has confirmed already."), code="confirmed")
        locked.save(update_fields=[*changed, "updated_at"])
        log_action("portal.matching.agreement.confirm_side", actor=actor, obj=locked,
                   data={"fields": changed}, request=request)
        if locked.owner_confirmed_at and locked.partner_confirmed_at:
            AGREEMENT_WORKFLOW.transition(locked, AgreementState.CONFIRMED, actor=actor,
                                          request=request)
    agreement.refresh_from_db()
    return agreement
