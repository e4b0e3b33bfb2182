"""Live rounds (现场赛): host staff create a round for a demand among its shortlisted
solutions, with an ordered agenda of its two parts (competitive docking, on-site pitching);
each side consents (or not) to a public round; host staff invite judges, whose conflicts with a
challenger are found from organisation links, named by the challenger or declared by the
judge; judges score one challenger at a time (saved as typed, locked and digested on submit);
the demand side confirms the selected partner, which records the intention agreement.

Every write is one function, audited, its notifications written in the same transaction:
the round's course here (creation, criteria, scoring opened and finished, the partner
selected); the sides' consent, judges and their conflicts in :mod:`.round_judges`; score
sheets in :mod:`.round_scoring`, whose names this module re-exports.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import log_action
from common.workflow import Workflow
from contests.permissions import is_host_staff_of
from solutions.enums import SolutionStatus
from solutions.services.solutions import decide_solution

from .. import permissions
from ..enums import (
    DEFAULT_CRITERIA,
    ROUND_EDGES,
    AgreementState,
    RoundPart,
    RoundState,
)
from ..models import (
    AgendaItem,
    LiveRound,
    LiveRoundTransition,
    RoundCriterion,
    RoundEntry,
    RoundJudge,
)
from .agreements import record_agreement
from .round_base import RoundError, _parties, _tell
from .round_judges import (
    answer_consent,
    declare_conflict,
    found_conflicts,
    invite_judge,
    name_unwanted,
)
from .round_scoring import (
    compute_digest,
    conflicted,
    save_scores,
    sheet_scores,
    submit_sheet,
    verify,
)

DEFAULT_WEIGHTS = (40, 30, 30)


ROUND_WORKFLOW = Workflow(
    model=LiveRound,
    states=RoundState,
    edges=ROUND_EDGES,
    permissions=permissions,
    history=LiveRoundTransition,
    audit="portal.matching.round",
    select_related=("demand",),
    messages={
        "illegal": gettext_lazy("The round is not in a state that allows this."),
        "denied": gettext_lazy("Only the host unit's staff run this round."),
    },
    error=RoundError,
)


# --- creation ------------------------------------------------------------------------------------
def create_round(
    demand,
    *,
    title,
    starts_at,
    venue,
    link,
    solutions,
    agenda,
    actor,
    score_min=0,
    score_max=100,
    request=None,
):
    """Create a round of ``demand`` (host staff of its unit) among ``solutions`` (at least two,
    shortlisted for this demand, in pitching order). ``agenda``: [(part, title, minutes,
    solution or None)] in order. The three standard criteria come with weights 40/30/30."""
    if not is_host_staff_of(actor, demand.host_unit_id):
        raise RoundError(
            _("Only the host unit's staff create live rounds for this demand."),
            code="permission_denied",
        )
    solutions = list(solutions)
    if len(solutions) < 2:
        raise RoundError(
            _("A live round needs at least two shortlisted solutions."), field="solutions"
        )
    if any(s.demand_id != demand.pk or s.status != SolutionStatus.SHORTLISTED for s in solutions):
        raise RoundError(
            _("Only solutions shortlisted for this demand enter its round."), field="solutions"
        )
    if not venue and not link:
        raise RoundError(_("Give a venue or a link."), field="venue")
    if score_min >= score_max:
        raise RoundError(_("The highest score must be above the lowest."), field="score_max")
    parts = {part for part, *_rest in agenda}
    if parts != set(RoundPart.values):
        raise RoundError(
            _("The agenda needs items in both parts: competitive docking and on-site pitching."),
            field="agenda",
        )
    with transaction.atomic():
        live_round = LiveRound.objects.create(
            demand=demand,
            host_unit_id=demand.host_unit_id,
            title=title,
            starts_at=starts_at,
            venue=venue,
            link=link,
            score_min=score_min,
            score_max=score_max,
            created_by=actor,
        )
        entries = RoundEntry.objects.bulk_create(
            [
                RoundEntry(
                    round=live_round,
                    solution=solution,
                    organisation_id=solution.organisation_id,
                    position=position,
                )
                for position, solution in enumerate(solutions, start=1)
            ]
        )
        entry_of = {entry.solution_id: entry for entry in entries}
        counters = {}
        items = []
        for part, item_title, minutes, solution in agenda:
            counters[part] = counters.get(part, 0) + 1
            items.append(
                AgendaItem(
                    round=live_round,
                    part=part,
                    position=counters[part],
                    title=item_title,
                    minutes=minutes,
                    entry=entry_of.get(getattr(solution, "pk", None)),
                )
            )
        AgendaItem.objects.bulk_create(items)
        RoundCriterion.objects.bulk_create(
            [
                RoundCriterion(round=live_round, name=name, weight=weight, position=position)
                for position, (name, weight) in enumerate(
                    zip(DEFAULT_CRITERIA, DEFAULT_WEIGHTS, strict=True), start=1
                )
            ]
        )
        log_action(
            "portal.matching.round.create",
            actor=actor,
            obj=live_round,
            data={"demand": demand.pk, "solutions": [s.pk for s in solutions]},
            request=request,
        )
        _tell(
            live_round,
            _parties(live_round) - {actor.pk},
            "created",
            _("A live round was scheduled; please answer whether it may be public."),
        )
    return live_round


def set_criteria(live_round, criteria, *, actor, request=None):
    """Replace the criteria: [(name, weight)], weights summing to 100, before scoring."""
    if not permissions.can_manage_round.test(actor, live_round):
        raise RoundError(
            _("Only the host unit's staff set the criteria."), code="permission_denied"
        )
    names = [name.strip() for name, _weight in criteria]
    if not criteria or any(not name for name in names) or len(set(names)) != len(names):
        raise RoundError(_("Each criterion needs a distinct name."), field="criteria")
    if any(weight < 0 for _name, weight in criteria):
        raise RoundError(_("Weights cannot be negative."), field="criteria")
    if sum(weight for _name, weight in criteria) != 100:
        raise RoundError(_("The weights must sum to 100."), field="criteria")
    with transaction.atomic():
        locked = LiveRound.objects.select_for_update().get(pk=live_round.pk)
        if locked.state != RoundState.PLANNED:
            raise RoundError(_("Criteria are fixed once scoring has opened."), code="state")
        locked.criteria.all().delete()
        RoundCriterion.objects.bulk_create(
            [
                RoundCriterion(round=locked, name=name, weight=weight, position=position)
                for position, (name, (_n, weight)) in enumerate(
                    zip(names, criteria, strict=True), start=1
                )
            ]
        )
        log_action(
            "portal.matching.round.criteria",
            actor=actor,
            obj=locked,
            data={"criteria": [[n, w] for n, (_x, w) in zip(names, criteria, strict=True)]},
            request=request,
        )
    return live_round


# --- the round's course ---------------------------------------------------------------------------
def open_scoring(live_round, *, actor, request=None):
    if (
        not live_round.criteria.exists()
        or sum(live_round.criteria.values_list("weight", flat=True)) != 100
    ):
        raise RoundError(_("The weights must sum to 100."), code="criteria")
    if not live_round.judges.filter(recused_at__isnull=True).exists():
        raise RoundError(_("Invite at least one judge first."), code="judges")
    return ROUND_WORKFLOW.transition(live_round, "open", actor=actor, request=request)


def finish(live_round, *, actor, request=None):
    with transaction.atomic():
        # A save or a submission holds its judge's row from its look at the round's state to
        # its commit: taking every judge's row first orders the end after the saves in flight,
        # and every later save then reads "finished" and is refused.
        list(RoundJudge.objects.select_for_update().filter(round_id=live_round.pk)
             .order_by("pk").values_list("pk", flat=True))
        locked = ROUND_WORKFLOW.transition(live_round, "finish", actor=actor, request=request)
        _tell(
            locked,
            _parties(locked) | set(locked.judges.values_list("user_id", flat=True)),
            "finished",
            _("The live round is finished; its ranking is on its page."),
        )
    return locked


# --- selection ------------------------------------------------------------------------------------
def select_partner(live_round, entry, *, actor, signed_on=None, request=None):
    """The demand side confirms the selected partner of a finished round: the solution is
    selected (solutions workflow) and the intention agreement recorded (awaiting both sides'
    confirmation in the matching app)."""
    if not permissions.can_select_partner.test(actor, live_round):
        raise RoundError(
            _("Only the demand side selects the partner of a finished round."),
            code="permission_denied",
        )
    if entry.round_id != live_round.pk:
        raise RoundError(_("Unknown challenger."), field="entry")
    with transaction.atomic():
        locked = (
            LiveRound.objects.select_for_update().select_related("demand").get(pk=live_round.pk)
        )
        if locked.selected_entry_id:
            raise RoundError(_("The partner is selected already."), code="selected")
        solution = entry.solution
        decide_solution(
            solution,
            SolutionStatus.SELECTED,
            actor=actor,
            reason=_("Selected in the live round “%(title)s”.") % {"title": locked.title},
            request=request,
        )
        agreement = record_agreement(
            locked.demand,
            entry.organisation,
            cooperation_mode=solution.cooperation_mode,
            amount=solution.cost or 0,
            signed_on=signed_on or timezone.localdate(),
            actor=actor,
            request=request,
        )
        locked.selected_entry, locked.selected_by, locked.agreement = entry, actor, agreement
        locked.save(update_fields=["selected_entry", "selected_by", "agreement", "updated_at"])
        log_action(
            "portal.matching.round.select",
            actor=actor,
            obj=locked,
            data={"entry": entry.pk, "agreement": agreement.pk},
            request=request,
        )
    live_round.refresh_from_db()
    return agreement


__all__ = [
    "ROUND_WORKFLOW",
    "AgreementState",
    "RoundError",
    "answer_consent",
    "compute_digest",
    "conflicted",
    "create_round",
    "declare_conflict",
    "finish",
    "found_conflicts",
    "invite_judge",
    "name_unwanted",
    "open_scoring",
    "save_scores",
    "select_partner",
    "set_criteria",
    "sheet_scores",
    "submit_sheet",
    "verify",
]
