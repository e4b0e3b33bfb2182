"""The complaint targets of the apps under ``complaints``: events, host units, demands,
solutions, live rounds and their score sheets (re-checks), intention agreements and
participants (organisations). An app beside (awards) registers its own from its ``ready()``
(``common.references``)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import MembershipState
from accounts.models import Membership, Organisation
from common.references import ComplaintTarget, RecheckRules, register_complaint_target
from contests.models import Event, HostMembership, HostUnit
from contests.selectors import current_contest
from demands.models import Demand
from demands.selectors import demands_visible_to
from matching.enums import SheetState
from matching.models import RoundJudge, ScoreSheet
from matching.selectors import (
    agreements_visible_to,
    public_rounds,
    round_reviewer_exclusions,
    round_reviewer_pool,
    rounds_visible_to,
    sheets_visible_to,
)
from solutions.enums import SolutionStatus
from solutions.selectors import solutions_visible_to


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _member_ids(organisation_id):
    return set(Membership.objects.filter(organisation_id=organisation_id,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .values_list("user_id", flat=True))


def _staff_ids(host_unit_id):
    return set(HostMembership.objects.filter(host_unit_id=host_unit_id)
               .values_list("user_id", flat=True))


# --- events -------------------------------------------------------------------------------------
def _event(user, reference):
    contest = current_contest()
    if contest is None or not str(reference).strip().isdigit():
        return None
    return Event.objects.filter(contest=contest, number=int(reference)).first()


def _event_unit(event):
    """An event run by one host unit goes to it; one shared by several, to Torch staff."""
    units = list(event.host_units.values_list("pk", flat=True)[:2])
    return units[0] if len(units) == 1 else None


# --- host units ---------------------------------------------------------------------------------
def _host_unit(user, reference):
    return HostUnit.objects.filter(slug=str(reference).strip()).first()


def _not_its_staff(user, unit):
    return _active(user) and unit.pk not in _staff_ids_cached(user)


def _staff_ids_cached(user):
    from contests.permissions import staffed_host_unit_ids

    return staffed_host_unit_ids(user)


# --- demands ------------------------------------------------------------------------------------
def _demand(user, reference):
    reference = str(reference).strip()
    if not reference or not _active(user):
        return None
    return (Demand.objects.filter(ref=reference)
            .filter(Q(published_at__isnull=False)
                    | Q(pk__in=demands_visible_to(user).values("pk")))
            .first())


def _not_owner(user, demand):
    return _active(user) and user.pk not in _member_ids(demand.organisation_id)


def _demand_label(demand):
    """The public title: a complaint's label is read by staff and the complainant, who know
    the demand by its public page."""
    snapshot = demand.public_snapshot or {}
    return f"{demand.ref} {snapshot.get('title') or demand.title}"


# --- solutions (referred to by number, as their pages show; a disagreement over an intention
# agreement is a dispute between its two sides, not a complaint) ---------------------------------
def _visible(queryset_of, user, reference):
    reference = str(reference).strip()
    if not reference.isdigit() or not _active(user):
        return None
    return queryset_of(user).filter(pk=int(reference)).first()


def _solution(user, reference):
    solution = _visible(solutions_visible_to, user, reference)
    return None if solution is None or solution.status == SolutionStatus.DRAFT else solution


def _solution_label(solution):
    return f"{solution.demand.ref} · {solution.title}"


# --- live rounds and their score sheets (a re-check is tied to the exact sheets; its reviewer
# judged nothing in the round and has no conflict with either side) ------------------------------
def _round(user, reference):
    reference = str(reference).strip()
    if not reference.isdigit() or not _active(user):
        return None
    pk = int(reference)
    return (rounds_visible_to(user).filter(pk=pk).first()
            or public_rounds().filter(pk=pk).first())


def _runs_or_judges(user, live_round):
    """Host staff of the round's unit and its judges answer for it; they do not complain."""
    return (live_round.host_unit_id in _staff_ids_cached(user)
            or live_round.judges.filter(user_id=user.pk).exists())


def _round_label(live_round):
    return f"{live_round.title} ({timezone.localtime(live_round.starts_at):%Y-%m-%d})"


def _sheet_label(sheet):
    """Which challenger it scores and which of the round's judges (by order, never by name:
    the complainant reads it)."""
    judge_ids = list(RoundJudge.objects.filter(round_id=sheet.entry.round_id)
                     .order_by("pk").values_list("pk", flat=True))
    number = judge_ids.index(sheet.judge_id) + 1 if sheet.judge_id in judge_ids else 0
    return gettext("Score sheet %(number)s: %(challenger)s, judge %(judge)s") % {
        "number": sheet.pk, "challenger": sheet.entry.organisation.name, "judge": number}


def _round_sheets(live_round):
    sheets = (ScoreSheet.objects.filter(entry__round=live_round, state=SheetState.SUBMITTED)
              .select_related("entry__organisation").order_by("entry__position", "judge_id"))
    return [(str(sheet.pk), _sheet_label(sheet)) for sheet in sheets]


def _sheet(user, reference):
    return _visible(sheets_visible_to, user, reference)


def _sheet_of(queryset):
    return queryset.select_related("entry__round", "entry__organisation", "judge")


ROUND_RECHECK = RecheckRules(
    excluded_reviewers=round_reviewer_exclusions, reviewer_pool=round_reviewer_pool,
    score_sheets=_round_sheets,
)
SHEET_RECHECK = RecheckRules(
    excluded_reviewers=lambda sheet: round_reviewer_exclusions(sheet.entry.round),
    reviewer_pool=lambda sheet: round_reviewer_pool(sheet.entry.round),
    score_sheets=lambda sheet: [(str(sheet.pk), _sheet_label(sheet))],
)


# --- intention agreements -----------------------------------------------------------------------
def _agreement_label(agreement):
    return f"{agreement.demand.ref} × {agreement.partner.name}"


def _agreement_sides(agreement):
    return _member_ids(agreement.demand.organisation_id) | _member_ids(agreement.partner_id)


# --- participants -------------------------------------------------------------------------------
def _organisation(user, reference):
    reference = str(reference).strip()
    if not reference or not _active(user):
        return None
    return (Organisation.objects.filter(Q(credit_code__iexact=reference) | Q(name=reference))
            .order_by("pk").first())


def _not_member(user, organisation):
    return _active(user) and user.pk not in _member_ids(organisation.pk)


def register():
    register_complaint_target(ComplaintTarget(
        key="contests.event", label=_("an event"), model="contests.Event",
        resolve=_event, reference_of=lambda event: str(event.number),
        describe=lambda event: f"{event.number} {event.name}",
        host_unit_of=_event_unit,
        help_text=_("The event's number, as on the events page."), order=10,
    ))
    register_complaint_target(ComplaintTarget(
        key="contests.hostunit", label=_("a host unit"), model="contests.HostUnit",
        resolve=_host_unit, reference_of=lambda unit: unit.slug, describe=str,
        # A complaint about a host unit goes to Torch staff; the unit answers for it.
        host_unit_of=lambda unit: None, unit_concerned=lambda unit: unit.pk,
        parties_of=lambda unit: _staff_ids(unit.pk), may_complain=_not_its_staff,
        help_text=_("The last part of the host unit's page address."), order=20,
    ))
    register_complaint_target(ComplaintTarget(
        key="demands.demand", label=_("a demand"), model="demands.Demand",
        resolve=_demand, reference_of=lambda demand: demand.ref, describe=_demand_label,
        host_unit_of=lambda demand: demand.host_unit_id,
        parties_of=lambda demand: _member_ids(demand.organisation_id),
        may_complain=_not_owner,
        help_text=_("The demand's reference number, such as D-2026-000123."), order=30,
    ))
    register_complaint_target(ComplaintTarget(
        key="solutions.solution", label=_("a solution"), model="solutions.Solution",
        resolve=_solution, reference_of=lambda solution: str(solution.pk),
        describe=_solution_label, host_unit_of=lambda solution: solution.demand.host_unit_id,
        parties_of=lambda solution: _member_ids(solution.organisation_id),
        may_complain=lambda user, solution: _not_member(user, solution.organisation),
        help_text=_("The solution's number, as in its page address (/solutions/<number>/)."),
        order=40,
    ))
    register_complaint_target(ComplaintTarget(
        key="matching.liveround", label=_("a live round"), model="matching.LiveRound",
        resolve=_round, reference_of=lambda live_round: str(live_round.pk),
        describe=_round_label, host_unit_of=lambda live_round: live_round.host_unit_id,
        may_complain=lambda user, live_round: (_active(user)
                                               and not _runs_or_judges(user, live_round)),
        recheck=ROUND_RECHECK,
        help_text=_("The live round's number, as in its page address (/matching/rounds/"
                    "<number>/). A re-check covers every submitted score sheet."), order=50,
    ))
    register_complaint_target(ComplaintTarget(
        key="matching.scoresheet", label=_("a score sheet"), model="matching.ScoreSheet",
        resolve=_sheet, reference_of=lambda sheet: str(sheet.pk), describe=_sheet_label,
        host_unit_of=lambda sheet: sheet.entry.round.host_unit_id,
        may_complain=lambda user, sheet: (_active(user)
                                          and not _runs_or_judges(user, sheet.entry.round)),
        recheck=SHEET_RECHECK,
        help_text=_("The score sheet's number, as listed on the finished round's page for "
                    "the challenger it scores."), order=55,
    ))
    register_complaint_target(ComplaintTarget(
        key="matching.intentionagreement", label=_("an intention agreement"),
        model="matching.IntentionAgreement",
        resolve=lambda user, reference: _visible(agreements_visible_to, user, reference),
        reference_of=lambda agreement: str(agreement.pk), describe=_agreement_label,
        host_unit_of=lambda agreement: agreement.demand.host_unit_id,
        parties_of=_agreement_sides,
        help_text=_("The agreement's number, as in its page address (/matching/agreements/"
                    "<number>/). A disagreement between its two sides is a dispute."),
        order=60,
    ))
    register_complaint_target(ComplaintTarget(
        key="accounts.organisation", label=_("another participant"),
        model="accounts.Organisation", resolve=_organisation,
        reference_of=lambda organisation: organisation.credit_code or organisation.name,
        describe=lambda organisation: organisation.name,
        host_unit_of=lambda organisation: None, ask_host_unit=True,
        parties_of=lambda organisation: _member_ids(organisation.pk),
        may_complain=_not_member,
        help_text=_("The organisation's unified social credit code or its exact name."),
        order=90,
    ))
