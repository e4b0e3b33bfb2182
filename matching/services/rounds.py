"""Live rounds (现场赛): host staff create a round for a demand among its shortlisted
solutions, with an ordered agenda of its two parts (competitive docking, on-site pitching);
each side consents (or not) to a public round; host staff invite judges, whose conflicts with a
challenger are found from organisation links, named by the challenger or declared by the
judge; judges score one challenger at a time (saved as typed, locked and digested on submit);
the demand side confirms the selected partner, which records the intention agreement.

Every write is one function here, audited, its notifications written in the same transaction.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_expert, is_org_member
from audit.services import log_action
from common.workflow import Workflow
from contests.permissions import is_host_staff_of
from notifications.services import notify_many
from solutions.enums import SolutionStatus
from solutions.services.solutions import decide_solution

from .. import permissions
from ..enums import (
    DEFAULT_CRITERIA,
    ROUND_EDGES,
    AgreementState,
    ConflictSource,
    JudgeKind,
    RoundPart,
    RoundState,
    SheetState,
)
from ..models import (
    AgendaItem,
    IntentionAgreement,
    JudgeConflict,
    LiveRound,
    LiveRoundTransition,
    RoundConsent,
    RoundCriterion,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreSheet,
)
from ..scoring import sheet_digest
from .agreements import record_agreement
from .base import MatchingError

DEFAULT_WEIGHTS = (40, 30, 30)


class RoundError(MatchingError):
    default_code = "round_refused"


def _tell(live_round, user_ids, key, message):
    notify_many(
        recipient_ids=sorted(set(user_ids)),
        kind="matching.live_round",
        context={
            "title": live_round.title,
            "message": str(message),
            "starts_at": timezone.localtime(live_round.starts_at).strftime("%Y-%m-%d %H:%M"),
        },
        idempotency_key=f"round:{live_round.pk}:{key}",
        url=live_round.get_absolute_url(),
        obj=live_round,
    )


def _members(organisation_ids):
    return set(
        Membership.objects.filter(
            organisation_id__in=organisation_ids, state=MembershipState.ACTIVE, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _parties(live_round):
    return _members(permissions.round_organisation_ids(live_round))


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


# --- consent --------------------------------------------------------------------------------------
def answer_consent(live_round, organisation, *, given, actor, request=None):
    """The demand side or a challenger (a member of ``organisation``) consents to a public
    round or refuses; the answer may change until the round starts."""
    if organisation.pk not in permissions.round_organisation_ids(live_round):
        raise RoundError(
            _("Only the demand side and the challengers answer."), code="permission_denied"
        )
    if not is_org_member(actor, organisation.pk):
        raise RoundError(_("Only a member answers for the organisation."), code="permission_denied")
    with transaction.atomic():
        locked = LiveRound.objects.select_for_update().get(pk=live_round.pk)
        if locked.state != RoundState.PLANNED or locked.starts_at <= timezone.now():
            raise RoundError(_("The round has started; consents are fixed."), code="state")
        RoundConsent.objects.update_or_create(
            round=locked,
            organisation=organisation,
            defaults={"given": bool(given), "answered_by": actor, "answered_at": timezone.now()},
        )
        log_action(
            "portal.matching.round.consent",
            actor=actor,
            obj=locked,
            data={"organisation": organisation.pk, "given": bool(given)},
            request=request,
        )
    for attribute in ("_is_public",):
        live_round.__dict__.pop(attribute, None)
    return live_round


# --- judges and conflicts ------------------------------------------------------------------------
def _active_orgs(user_id):
    return set(
        Membership.objects.filter(user_id=user_id, state=MembershipState.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )


def found_conflicts(judge_user_id, entries):
    """{entry id: [(source, reason)]} found from organisation links: the judge is a member of
    the challenger; one of the judge's organisations shares an active member with it; or an
    intention agreement joined one of the judge's organisations and the challenger; or the
    challenger named one of the judge's organisations as unwanted."""
    judge_orgs = _active_orgs(judge_user_id)
    found = {}
    if not judge_orgs:
        return found
    challenger_ids = {entry.organisation_id for entry in entries}
    shared = set(
        Membership.objects.filter(
            organisation_id__in=challenger_ids,
            state=MembershipState.ACTIVE,
            user__memberships__organisation_id__in=judge_orgs,
            user__memberships__state=MembershipState.ACTIVE,
        )
        .exclude(user_id=judge_user_id)
        .values_list("organisation_id", flat=True)
    )
    agreed = set()
    for demand_org, partner in IntentionAgreement.objects.filter(
        Q(demand__organisation_id__in=judge_orgs, partner_id__in=challenger_ids)
        | Q(partner_id__in=judge_orgs, demand__organisation_id__in=challenger_ids)
    ).values_list("demand__organisation_id", "partner_id"):
        agreed |= {demand_org, partner}
    unwanted = {}
    for entry_id, org_id in RoundEntry.unwanted.through.objects.filter(
        roundentry__in=[e.pk for e in entries], organisation_id__in=judge_orgs
    ).values_list("roundentry_id", "organisation_id"):
        unwanted.setdefault(entry_id, org_id)
    for entry in entries:
        reasons = []
        if entry.organisation_id in judge_orgs:
            reasons.append((ConflictSource.SAME_ORGANISATION, ""))
        elif entry.organisation_id in shared:
            reasons.append((ConflictSource.SHARED_MEMBER, ""))
        if entry.organisation_id in agreed:
            reasons.append((ConflictSource.PAST_AGREEMENT, ""))
        if entry.pk in unwanted:
            reasons.append((ConflictSource.OBJECTION, ""))
        if reasons:
            found[entry.pk] = reasons
    return found


def _record_found(judge, entries):
    conflicts = found_conflicts(judge.user_id, entries)
    rows = [
        JudgeConflict(judge=judge, entry_id=entry_id, source=source, reason=reason)
        for entry_id, reasons in conflicts.items()
        for source, reason in reasons
    ]
    JudgeConflict.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def invite_judge(live_round, user, *, kind, actor, request=None):
    """Host staff invite a demand-side representative or an expert; conflicts with each
    challenger are found and recorded at once."""
    if not permissions.can_manage_round.test(actor, live_round):
        raise RoundError(_("Only the host unit's staff invite judges."), code="permission_denied")
    if kind not in JudgeKind.values:
        raise RoundError(_("Choose the kind of judge."), field="kind")
    if kind == JudgeKind.DEMAND_SIDE and not is_org_member(user, live_round.demand.organisation_id):
        raise RoundError(
            _("A demand-side representative is a member of the demand's organisation."),
            field="user",
        )
    if kind == JudgeKind.EXPERT and not is_expert(user):
        raise RoundError(_("This user is not an expert."), field="user")
    with transaction.atomic():
        locked = LiveRound.objects.select_for_update().get(pk=live_round.pk)
        if locked.state == RoundState.FINISHED:
            raise RoundError(_("The round is finished."), code="state")
        try:
            with transaction.atomic():
                judge = RoundJudge.objects.create(
                    round=locked, user=user, kind=kind, invited_by=actor
                )
        except IntegrityError:
            raise RoundError(_("This judge is invited already."), field="user") from None
        rows = _record_found(judge, list(locked.entries.all()))
        log_action(
            "portal.matching.round.judge",
            actor=actor,
            obj=locked,
            data={
                "judge": user.pk,
                "kind": kind,
                "conflicts": [[r.entry_id, r.source] for r in rows],
            },
            request=request,
        )
        _tell(locked, {user.pk}, f"judge:{user.pk}", _("You are invited to judge this live round."))
    return judge


def name_unwanted(entry, organisations, *, actor, request=None):
    """A challenger names organisations it does not want as judges; judges who are members of
    them are conflicted for this challenger from now on."""
    if not is_org_member(actor, entry.organisation_id):
        raise RoundError(
            _("Only the challenger's members name unwanted judges."), code="permission_denied"
        )
    organisations = [org for org in organisations if org.pk != entry.organisation_id]
    with transaction.atomic():
        locked = LiveRound.objects.select_for_update().get(pk=entry.round_id)
        if locked.state == RoundState.FINISHED:
            raise RoundError(_("The round is finished."), code="state")
        entry.unwanted.set(organisations)
        JudgeConflict.objects.filter(entry=entry, source=ConflictSource.OBJECTION).delete()
        for judge in locked.judges.all():
            _record_found(judge, [entry])
        log_action(
            "portal.matching.round.unwanted",
            actor=actor,
            obj=locked,
            data={"entry": entry.pk, "organisations": [o.pk for o in organisations]},
            request=request,
        )
    return entry


def declare_conflict(judge, entry, *, reason, actor, request=None):
    """The judge declares a conflict with one challenger (``entry``), or recuses from the whole
    round (``entry=None``), with a reason."""
    if judge.user_id != actor.pk:
        raise RoundError(_("Only the judge declares their conflicts."), code="permission_denied")
    reason = (reason or "").strip()
    if not reason:
        raise RoundError(_("Give a reason."), field="reason")
    with transaction.atomic():
        locked = RoundJudge.objects.select_for_update().select_related("round").get(pk=judge.pk)
        if locked.round.state == RoundState.FINISHED:
            raise RoundError(_("The round is finished."), code="state")
        if entry is None:
            locked.recused_at, locked.recusal_reason = timezone.now(), reason
            locked.save(update_fields=["recused_at", "recusal_reason"])
            entries = list(locked.round.entries.all())
            source = ConflictSource.RECUSED
        else:
            if entry.round_id != locked.round_id:
                raise RoundError(_("Unknown challenger."), field="entry")
            entries, source = [entry], ConflictSource.DECLARED
        for target in entries:
            JudgeConflict.objects.update_or_create(
                judge=locked, entry=target, source=source, defaults={"reason": reason}
            )
        # Drafts of conflicted challengers are void; submitted sheets stay as evidence.
        ScoreSheet.objects.filter(judge=locked, entry__in=entries, state=SheetState.DRAFT).delete()
        log_action(
            "portal.matching.round.conflict",
            actor=actor,
            obj=locked.round,
            data={"entries": [e.pk for e in entries], "source": source, "reason": reason},
            request=request,
        )
    return locked


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


# --- scoring --------------------------------------------------------------------------------------
def conflicted(judge, entry):
    return (
        judge.recused_at is not None
        or JudgeConflict.objects.filter(judge=judge, entry=entry).exists()
    )


def _parse(value, live_round, criterion):
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise RoundError(_("A score is a number."), field=f"c{criterion.pk}") from None
    if not number.is_finite():
        raise RoundError(_("A score is a number."), field=f"c{criterion.pk}")
    # The range first: a huge number ("1E27") cannot even be rounded to one decimal.
    if not live_round.score_min <= number <= live_round.score_max:
        raise RoundError(
            _("Scores run from %(low)s to %(high)s.")
            % {"low": live_round.score_min, "high": live_round.score_max},
            field=f"c{criterion.pk}",
        )
    if number != number.quantize(Decimal("0.1")):
        raise RoundError(_("Scores have at most one decimal."), field=f"c{criterion.pk}")
    return number


def _lock_sheet(live_round, user, entry):
    judge = RoundJudge.objects.select_for_update().filter(round=live_round, user=user).first()
    if judge is None:
        raise RoundError(_("You are not a judge of this round."), code="permission_denied")
    if entry.round_id != live_round.pk:
        raise RoundError(_("Unknown challenger."), code="permission_denied")
    if conflicted(judge, entry):
        raise RoundError(
            _("You have a conflict of interest with this challenger and may not score it."),
            code="conflict",
        )
    round_state = LiveRound.objects.values_list("state", flat=True).get(pk=live_round.pk)
    if round_state != RoundState.SCORING:
        raise RoundError(_("Scoring is not open."), code="state")
    sheet, _created = ScoreSheet.objects.get_or_create(judge=judge, entry=entry)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state == SheetState.SUBMITTED:
        raise RoundError(_("This sheet is submitted and locked."), code="locked")
    return judge, sheet


def save_scores(live_round, entry, *, user, values, comment=None, request=None):
    """Save what the judge has typed so far (``values``: {criterion id: text}; blanks are
    left unscored). The judge's row is locked, so two tabs of one judge queue up and eight
    judges at once each write their own sheet."""
    criteria = {c.pk: c for c in live_round.criteria.all()}
    parsed = {}
    for key, value in values.items():
        criterion = criteria.get(int(key)) if str(key).isdigit() else None
        if criterion is None:
            raise RoundError(_("Unknown criterion."), code="criterion")
        if str(value).strip() == "":
            parsed[criterion.pk] = None
            continue
        parsed[criterion.pk] = _parse(value, live_round, criterion)
    with transaction.atomic():
        _judge, sheet = _lock_sheet(live_round, user, entry)
        for criterion_id, number in parsed.items():
            if number is None:
                Score.objects.filter(sheet=sheet, criterion_id=criterion_id).delete()
            else:
                Score.objects.update_or_create(
                    sheet=sheet, criterion_id=criterion_id, defaults={"value": number}
                )
        if comment is not None:
            sheet.comment = comment
        sheet.save(update_fields=["comment", "updated_at"])
    return sheet


def sheet_scores(sheet):
    return dict(sheet.scores.values_list("criterion_id", "value"))


def compute_digest(sheet, scores=None):
    return sheet_digest(
        round_id=sheet.entry.round_id,
        judge_user_id=sheet.judge.user_id,
        entry_id=sheet.entry_id,
        scores=sheet_scores(sheet) if scores is None else scores,
        comment=sheet.comment,
        signed_name=sheet.signed_name,
        submitted_at=sheet.submitted_at,
    )


def verify(sheet):
    """The stored digest equals the digest of the sheet as it is now."""
    return (
        bool(sheet.digest)
        and sheet.submitted_at is not None
        and (compute_digest(sheet) == sheet.digest)
    )


def submit_sheet(live_round, entry, *, user, signed_name, request=None):
    """Lock the judge's sheet of ``entry``: every criterion scored, signed with the judge's
    name; the digest is stored."""
    signed_name = (signed_name or "").strip()
    if not signed_name:
        raise RoundError(_("Sign the sheet with your name."), field="signed_name")
    with transaction.atomic():
        _judge, sheet = _lock_sheet(live_round, user, entry)
        scores = sheet_scores(sheet)
        missing = [c.name for c in live_round.criteria.all() if c.pk not in scores]
        if missing:
            raise RoundError(
                _("Score every criterion first: %(names)s.") % {"names": "、".join(missing)},
                code="incomplete",
            )
        sheet.signed_name = signed_name
        sheet.submitted_at = timezone.now()
        sheet.state = SheetState.SUBMITTED
        sheet.digest = compute_digest(sheet, scores)
        sheet.save(update_fields=["signed_name", "submitted_at", "state", "digest", "updated_at"])
        log_action(
            "portal.matching.round.sheet_submit",
            actor=user,
            obj=sheet,
            data={"round": live_round.pk, "entry": entry.pk, "digest": sheet.digest},
            request=request,
        )
    return sheet


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
    "submit_sheet",
    "verify",
]
