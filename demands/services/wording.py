"""Clearer public wordings: proposed by experts or host staff, accepted or declined by the owner."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from audit.services import log_action
from common.workflow import Workflow

from .. import permissions
from ..enums import PROPOSAL_EDGES, DemandStatus, ProposalState
from ..models import Demand, WordingProposal, WordingProposalTransition
from .base import WORDING_FIELDS, DemandError, _notify_members, _title
from .content import current_wording
from .experts import acting_data
from .workflow import _refresh_public


def propose_wording(demand, *, actor, texts, note=""):
    """Propose clearer public texts for some of :data:`WORDING_FIELDS`; only texts that differ
    from the current wording are kept. Nothing of it is public until the owner accepts."""
    unknown = set(texts) - set(WORDING_FIELDS)
    if unknown:
        raise DemandError(gettext("These texts cannot be reworded: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.can_propose_wording(actor, locked):
            raise DemandError(gettext("You may not propose a wording for this demand now."))
        changed = {name: text.strip() for name, text in texts.items()
                   if text and text.strip() and text.strip() != current_wording(locked, name)}
        if not changed:
            raise DemandError(gettext("Change at least one text to propose a new wording."))
        proposal = WordingProposal.objects.create(
            demand=locked, proposed_by=actor, texts=changed, note=(note or "").strip()
        )
        log_action("portal.demand.propose_wording", actor=actor, obj=locked,
                   data={"proposal": proposal.pk, "fields": sorted(changed),
                         **acting_data(actor, locked)})
        _notify_members(locked, kind="demand.wording_proposed",
                        key=f"demand:{locked.pk}:proposal:{proposal.pk}",
                        context={"title": _title(locked), "proposed_by": str(actor)},
                        skip=actor)
    return proposal


def _apply(step):
    """An accepted wording becomes the demand's public wording (the demand's row is locked too,
    after the proposal's)."""
    proposal = step.obj
    if step.target != ProposalState.ACCEPTED:
        return
    demand = Demand.objects.select_for_update().get(pk=proposal.demand_id)
    demand.public_wording = {**(demand.public_wording or {}), **proposal.texts}
    demand.save(update_fields=["public_wording", "updated_at"])
    if demand.status == DemandStatus.PUBLISHED:
        _refresh_public(demand)


PROPOSAL_WORKFLOW = Workflow(
    model=WordingProposal, states=ProposalState, edges=PROPOSAL_EDGES, permissions=permissions,
    history=WordingProposalTransition, audit="portal.demand",
    audit_object=lambda proposal: proposal.demand,
    select_related=("demand",), touch=[],
    messages={
        "illegal": gettext_lazy("This proposal has already been answered."),
        "denied": gettext_lazy("Only the demand's owner can answer a wording proposal."),
    },
    error=DemandError, after=_apply,
)


def decide_proposal(proposal, *, actor, accept):
    """The owner accepts (the texts become the public wording) or declines a proposal."""
    return PROPOSAL_WORKFLOW.transition(
        proposal, ProposalState.ACCEPTED if accept else ProposalState.DECLINED, actor=actor,
        data={"proposal": proposal.pk, "fields": sorted(proposal.texts or {})},
        decided_at=timezone.now(),
    )
