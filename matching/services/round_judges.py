"""Who takes part in a live round: each side consents (or not) to a public round; host staff
invite judges, whose conflicts with a challenger are found from organisation links, named by
the challenger or declared by the judge."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_expert, is_org_member
from audit.services import log_action

from .. import permissions
from ..enums import ConflictSource, JudgeKind, RoundState, SheetState
from ..models import (
    IntentionAgreement,
    JudgeConflict,
    LiveRound,
    RoundConsent,
    RoundEntry,
    RoundJudge,
    ScoreSheet,
)
from .round_base import RoundError, _tell


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

