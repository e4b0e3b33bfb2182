"""Matching: the achievement library, recommendations, a commission, an invitation, an
intention agreement, a docking session with its calendar feed; and the closed live round."""

from decimal import Decimal

from django.utils import timezone

from accounts.enums import OrganisationKind
from tests.factories.accounts import OrganisationFactory

from .canaries import ROUND_CANARY, STAFF_ACHIEVEMENT


def matching(users, *, demand, unit, field_, holder, agency_org, owner_org):
    """The achievement library (a public achievement of the challenger's university, a
    staff-only one of an institute), the world's demand's recommendations, unit A's commission
    of the agency for
    that demand, an invitation of the university and an intention agreement awaiting both
    sides."""
    from datetime import timedelta

    from matching.enums import CommissionScope, Visibility
    from matching.models import Achievement, Commission, IntentionAgreement, Invitation
    from matching.services.library import index_fields
    from matching.services.recommend import build_index, refresh_demand

    def achievement(owner=holder, **values):
        row = Achievement(owner=owner, industry_field=field_, trl=6, region="610100",
                          keywords=["热障涂层", "粘结层"], cooperation_modes=["license"],
                          **values)
        index_fields(row)
        row.save()
        return row

    public = achievement(title="热障涂层长寿命粘结层技术",
                         abstract="高温合金涡轮叶片热障涂层粘结层改性，1100℃热循环寿命提高一倍，"
                                  "解决涂层剥落问题。")
    # Of an institute none of the personas belongs to.
    staff_holder = OrganisationFactory(kind=OrganisationKind.INSTITUTE, name="矩阵内部研究所")
    staff_only = achievement(owner=staff_holder, title=STAFF_ACHIEVEMENT,
                             abstract="涡轮叶片涂层热循环剥落的内部改进方案。",
                             visibility=Visibility.STAFF)
    refresh_demand(demand, index=build_index())
    today = timezone.localdate()
    commission = Commission.objects.create(
        host_unit=unit, agency=agency_org, created_by=users["host"],
        scopes=[CommissionScope.ANALYSIS, CommissionScope.HOLDER_SEARCH],
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=60))
    commission.demands.set([demand])
    invitation = Invitation.objects.create(demand=demand, holder=holder, achievement=public,
                                           invited_by=users["host"], message="诚邀揭榜")
    agreement = IntentionAgreement.objects.create(
        demand=demand, partner=holder, cooperation_mode="license", amount=Decimal("120"),
        signed_on=today, created_by=users["owner"])
    from datetime import datetime

    from matching.models import CalendarFeed, DockingParticipant, DockingSession

    starts = timezone.make_aware(datetime.combine(today + timedelta(days=7),
                                                  datetime.min.time()).replace(hour=14))
    session = DockingSession.objects.create(
        host_unit=unit, title="矩阵对接会", mode="video", link="https://meeting.example.cn/m",
        starts_at=starts, ends_at=starts + timedelta(hours=2), agenda="路演与交流",
        created_by=users["host"])
    session.demands.set([demand])
    for persona in ("owner", "challenger"):
        DockingParticipant.objects.create(session=session, user=users[persona])
    feed = CalendarFeed.objects.create(user=users["owner"], token="matrix-feed-token")
    return {"docking": session, "calendar_feed": feed,
            "achievement": public, "staff_achievement": staff_only, "commission": commission,
            "invitation": invitation, "intention_agreement": agreement,
            "recommendation": demand.recommendations.first(), "agency_org": agency_org}


def live_round(users, *, demand, unit, entries):
    """A closed live round of the world's demand, scoring: the granted challenger's institute
    and a rival institute compete (their solutions placed directly, not through the workflow),
    the ``expert`` persona judges with a draft sheet for the first challenger. Its award and
    what follows the agreement are in ``awards.round_award_and_after``."""
    from datetime import timedelta

    from matching.enums import DEFAULT_CRITERIA, JudgeKind, RoundPart, RoundState
    from matching.models import (
        AgendaItem,
        LiveRound,
        RoundCriterion,
        RoundEntry,
        RoundJudge,
        ScoreSheet,
    )

    live_round = LiveRound.objects.create(
        demand=demand, host_unit=unit, title=ROUND_CANARY, venue="矩阵会议中心",
        starts_at=timezone.now() + timedelta(days=10), state=RoundState.SCORING,
        created_by=users["host"])
    rows = [RoundEntry.objects.create(round=live_round, solution=solution, position=position,
                                      organisation_id=solution.organisation_id)
            for position, solution in enumerate(entries, start=1)]
    AgendaItem.objects.create(round=live_round, part=RoundPart.DOCKING, position=1,
                              title="需求介绍", minutes=10)
    for position, entry in enumerate(rows, start=1):
        AgendaItem.objects.create(round=live_round, part=RoundPart.PITCHING, position=position,
                                  title=f"路演{position}", minutes=8, entry=entry)
    for position, (name, weight) in enumerate(zip(DEFAULT_CRITERIA, (40, 30, 30), strict=True),
                                              start=1):
        RoundCriterion.objects.create(round=live_round, name=name, weight=weight,
                                      position=position)
    judge = RoundJudge.objects.create(round=live_round, user=users["expert"],
                                      kind=JudgeKind.EXPERT, invited_by=users["host"])
    ScoreSheet.objects.create(judge=judge, entry=rows[0])
    return {"live_round": live_round, "round_entry": rows[0], "round_judge": judge}
