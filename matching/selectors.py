"""Reads of the matching app: which achievements, recommendations, commissions, invitations and
agreements a user may see, annotated for lists (a fixed number of queries per page)."""

from django.db.models import Exists, OuterRef, Q

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_torch_staff
from contests.models import HostMembership
from contests.permissions import is_host_staff, staffed_host_unit_ids

from .enums import SheetState, Visibility
from .models import (
    Achievement,
    Commission,
    IntentionAgreement,
    Invitation,
    Recommendation,
    RoundJudge,
)
from .permissions import current_commissions  # noqa: F401  (re-exported for pages)


def _authenticated(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def _member_of(user, field):
    return Exists(Membership.objects.filter(user=user, organisation_id=OuterRef(field),
                                            state=MembershipState.ACTIVE))


def sees_staff_achievements(user):
    return _authenticated(user) and (is_torch_staff(user) or is_host_staff(user))


def achievements_visible_to(user):
    """Public achievements; staff-only ones for host and Torch staff and their holder's
    members. Mirrors ``permissions.can_view_achievement``."""
    queryset = Achievement.objects.all()
    if sees_staff_achievements(user):
        return queryset
    if _authenticated(user):
        return queryset.filter(Q(visibility=Visibility.PUBLIC) | Q(_member_of(user, "owner_id")))
    return queryset.filter(visibility=Visibility.PUBLIC)


def achievements_of_user(user):
    """The achievements of the organisations the user is an active member of."""
    if not _authenticated(user):
        return Achievement.objects.none()
    return Achievement.objects.filter(_member_of(user, "owner_id"))


def for_list(queryset):
    return queryset.select_related("owner", "industry_field").only(
        "pk", "title", "abstract", "keywords", "trl", "region", "visibility", "listed_at",
        "owner__name", "owner__kind", "industry_field__name", "industry_field__code")


def recommendations_for(demand, user):
    """The stored recommendations of ``demand`` that ``user`` may read, best first (staff-only
    achievements only for those who may see them), with their achievement and holder."""
    queryset = Recommendation.objects.filter(demand=demand).select_related(
        "achievement__owner", "achievement__industry_field").order_by("-score",
                                                                      "achievement_id")
    if not sees_staff_achievements(user):
        queryset = queryset.filter(achievement__visibility=Visibility.PUBLIC)
    return queryset


def commissions_visible_to(user):
    """Host staff: their units' commissions; agency members: their agency's; Torch: all."""
    if not _authenticated(user):
        return Commission.objects.none()
    if is_torch_staff(user):
        return Commission.objects.all()
    return Commission.objects.filter(Q(host_unit_id__in=staffed_host_unit_ids(user))
                                     | Q(_member_of(user, "agency_id")))


def commissions_managed_by(user):
    """Commissions host staff manage (admin scoping): their units'; Torch: all."""
    if not _authenticated(user):
        return Commission.objects.none()
    if is_torch_staff(user):
        return Commission.objects.all()
    return Commission.objects.filter(host_unit_id__in=staffed_host_unit_ids(user))


def commissioned_demand_ids(user):
    """Demands the user works on through a current commission."""
    return {demand.pk for commission in current_commissions(user)
            for demand in commission.demands.all()}


def invitations_visible_to(user):
    """The holder's members, the inviting host unit's staff (and the agency that sent it),
    Torch staff."""
    if not _authenticated(user):
        return Invitation.objects.none()
    if is_torch_staff(user):
        return Invitation.objects.all()
    host = Exists(HostMembership.objects.filter(user=user,
                                                host_unit_id=OuterRef("demand__host_unit_id")))
    return Invitation.objects.filter(Q(_member_of(user, "holder_id")) | Q(host)
                                     | Q(_member_of(user, "commission__agency_id")))


def invitations_received_by(user):
    if not _authenticated(user):
        return Invitation.objects.none()
    return Invitation.objects.filter(_member_of(user, "holder_id"))


def agreements_visible_to(user):
    if not _authenticated(user):
        return IntentionAgreement.objects.none()
    if is_torch_staff(user):
        return IntentionAgreement.objects.all()
    host = Exists(HostMembership.objects.filter(user=user,
                                                host_unit_id=OuterRef("demand__host_unit_id")))
    return IntentionAgreement.objects.filter(Q(_member_of(user, "demand__organisation_id"))
                                             | Q(_member_of(user, "partner_id")) | Q(host))


def sessions_visible_to(user):
    """Docking sessions of the user's host units, those they take part in; Torch: all."""
    from .models import DockingSession

    if not _authenticated(user):
        return DockingSession.objects.none()
    if is_torch_staff(user):
        return DockingSession.objects.all()
    return DockingSession.objects.filter(
        Q(host_unit_id__in=staffed_host_unit_ids(user)) | Q(participants__user=user)
    ).distinct()


def sessions_of_participant(user):
    from .models import DockingSession

    if not _authenticated(user):
        return DockingSession.objects.none()
    return DockingSession.objects.filter(participants__user=user)


# --- live rounds ----------------------------------------------------------------------------------
def rounds_visible_to(user):
    """Rounds of the user's host units, those their organisations compete in or hold the demand
    of, those they judge; Torch: all. (Public rounds are listed for everyone apart, by
    :func:`public_rounds`.)"""
    from .models import LiveRound

    if not _authenticated(user):
        return LiveRound.objects.none()
    if is_torch_staff(user):
        return LiveRound.objects.all()
    return LiveRound.objects.filter(
        Q(host_unit_id__in=staffed_host_unit_ids(user))
        | Q(_member_of(user, "demand__organisation_id"))
        | Q(Exists(Membership.objects.filter(
            user=user, state=MembershipState.ACTIVE,
            organisation__round_entries__round=OuterRef("pk"))))
        | Q(Exists(RoundJudge.objects.filter(user=user, round=OuterRef("pk"))))
    )


def public_rounds():
    """Rounds whose every side (the demand's organisation and each challenger) consents."""
    from django.db.models import Count, F

    from .models import LiveRound

    return LiveRound.objects.annotate(
        _sides=Count("entries", distinct=True) + 1,
        _consents=Count("consents", filter=Q(consents__given=True), distinct=True),
    ).filter(_consents=F("_sides"))  # consents are only taken from the sides (services)


def round_results(live_round):
    """(standings in rank order with their entries, judge statistics) from the submitted
    sheets; a fixed number of queries."""
    from .models import Score
    from .scoring import rank

    entries = {entry.pk: entry for entry in live_round.entries.select_related("organisation")}
    criteria = list(live_round.criteria.values_list("pk", "weight"))
    sheets = {}
    for judge_id, entry_id, criterion_id, value in Score.objects.filter(
            sheet__entry__round=live_round, sheet__state=SheetState.SUBMITTED).values_list(
            "sheet__judge_id", "sheet__entry_id", "criterion_id", "value"):
        sheets.setdefault((judge_id, entry_id), {})[criterion_id] = value
    standings, stats = rank([(pk, entry.position) for pk, entry in entries.items()], criteria,
                            [(j, e, scores) for (j, e), scores in sheets.items()])
    for standing in standings:
        standing.entry = entries[standing.entry_id]
    return standings, stats


def round_progress(live_round):
    """Judges (with their user) and, per judge, one cell per challenger: "conflict",
    "submitted", "draft" or "" (not started). Four queries whatever the size."""
    from .models import JudgeConflict, ScoreSheet

    judges = list(live_round.judges.select_related("user").order_by("pk"))
    entries = list(live_round.entries.select_related("organisation"))
    conflicts = set(JudgeConflict.objects.filter(judge__round=live_round)
                    .values_list("judge_id", "entry_id"))
    states = dict(((judge_id, entry_id), state) for judge_id, entry_id, state
                  in ScoreSheet.objects.filter(judge__round=live_round)
                  .values_list("judge_id", "entry_id", "state"))
    rows = []
    for judge in judges:
        cells = []
        for entry in entries:
            if judge.recused_at or (judge.pk, entry.pk) in conflicts:
                cells.append("conflict")
            else:
                cells.append(states.get((judge.pk, entry.pk), ""))
        rows.append((judge, cells))
    return entries, rows


# --- re-checks of a round's result (complaints.targets) -------------------------------------------
def round_side_organisation_ids(live_round):
    """The sides of a round: the demand's organisation and every challenger's."""
    return ({live_round.demand.organisation_id}
            | set(live_round.entries.values_list("organisation_id", flat=True)))


def round_reviewer_exclusions(live_round):
    """Ids of the users who may not review a re-check of this round: everyone who judged it
    (recused judges too), and everyone with a conflict with either side, found as the judges'
    conflicts are (:func:`matching.services.round_judges.found_conflicts`: a member of a side,
    a member of an organisation sharing an active member with a side, of one joined to a side
    by an intention agreement, of one a challenger named as unwanted) or recorded in any round
    against one of these organisations (declared, recused, found)."""
    from .models import JudgeConflict, RoundEntry

    sides = round_side_organisation_ids(live_round)
    active = Membership.objects.filter(state=MembershipState.ACTIVE)
    side_members = active.filter(organisation_id__in=sides).values("user_id")
    sharing = active.filter(user_id__in=side_members).values("organisation_id")
    agreed = set()
    for demand_org, partner in IntentionAgreement.objects.filter(
            Q(demand__organisation_id__in=sides) | Q(partner_id__in=sides)).values_list(
            "demand__organisation_id", "partner_id"):
        agreed |= {demand_org, partner}
    unwanted = RoundEntry.unwanted.through.objects.filter(
        roundentry__round=live_round).values("organisation_id")
    linked = active.filter(Q(organisation_id__in=sides) | Q(organisation_id__in=sharing)
                           | Q(organisation_id__in=agreed) | Q(organisation_id__in=unwanted))
    excluded = set(linked.values_list("user_id", flat=True))
    excluded |= set(live_round.judges.values_list("user_id", flat=True))
    excluded |= set(JudgeConflict.objects.filter(entry__organisation_id__in=sides)
                    .values_list("judge__user_id", flat=True))
    return excluded


def round_reviewer_pool(live_round):
    """Who could be asked to review a re-check: active experts (less the exclusions, which
    ``complaints.services.reviewer_candidates`` takes off)."""
    from django.contrib.auth import get_user_model

    from accounts.enums import RoleCode

    return (get_user_model().objects.filter(roles__code=RoleCode.EXPERT, is_active=True)
            .distinct().order_by("pk"))


def sheets_visible_to(user):
    """Submitted score sheets a user may see: the judge's own, those of the rounds of the
    user's host units, those scoring the user's organisation (its re-check is asked about
    them); Torch: all. Drafts are nobody's business but the judge's scoring page."""
    from .models import ScoreSheet

    if not _authenticated(user):
        return ScoreSheet.objects.none()
    submitted = ScoreSheet.objects.filter(state=SheetState.SUBMITTED)
    if is_torch_staff(user):
        return submitted
    return submitted.filter(
        Q(judge__user=user)
        | Q(judge__round__host_unit_id__in=staffed_host_unit_ids(user))
        | Q(_member_of(user, "entry__organisation_id")))
