"""Clearer public wordings: proposed by experts or host staff, accepted or declined by the owner."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import permissions
from ..enums import DemandStatus, ProposalState
from ..models import Demand, WordingProposal
from .base import WORDING_FIELDS, DemandError, _log, _notify_members, _title
from .content import current_wording
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
        _log("portal.demand.propose_wording", actor=actor, demand=locked,
             data={"proposal": proposal.pk, "fields": sorted(changed)})
        _notify_members(locked, kind="demand.wording_proposed",
                        key=f"demand:{locked.pk}:proposal:{proposal.pk}",
                        context={"title": _title(locked), "proposed_by": str(actor)},
                        skip=actor)
    return proposal


def decide_proposal(proposal, *, actor, accept):
    """The owner accepts (the texts become the public wording) or declines a proposal."""
    with transaction.atomic():
        locked = WordingProposal.objects.select_for_update().get(pk=proposal.pk)
        demand = Demand.objects.select_for_update().get(pk=locked.demand_id)
        if not permissions.can_decide_proposal(actor, demand):
            raise DemandError(gettext("Only the demand's owner can answer a wording proposal."))
        if locked.state != ProposalState.PROPOSED:
            raise DemandError(gettext("This proposal has already been answered."))
        locked.state = ProposalState.ACCEPTED if accept else ProposalState.DECLINED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_at"])
        if accept:
            demand.public_wording = {**(demand.public_wording or {}), **locked.texts}
            demand.save(update_fields=["public_wording", "updated_at"])
            if demand.status == DemandStatus.PUBLISHED:
                _refresh_public(demand)
        _log(f"portal.demand.wording_{locked.state}", actor=actor, demand=demand,
             data={"proposal": locked.pk, "fields": sorted(locked.texts)})
    proposal.state, proposal.decided_at = locked.state, locked.decided_at
    return locked


