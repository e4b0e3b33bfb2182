"""A judge scores a live round on a phone (390×844): one challenger at a time, the scores saved
as typed (static/js/rounds.js, under the portal's CSP), a refused score marked, the sheet signed,
submitted and locked, the printable sheet with its digest; the page never scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.enums import JudgeKind, RoundPart, SheetState
from matching.models import ScoreSheet
from matching.services import rounds
from solutions.enums import SolutionStatus
from tests.browser.data import PASSWORD, load_contest, published_demand, verified_user
from tests.browser.test_phone_journey import PHONE, assert_fits
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.contests import HostMembershipFactory
from tests.factories.solutions import SolutionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scoring_round():
    demand = published_demand(title="SiC功率模块双面散热封装", keywords=["SiC", "散热"])
    host = HostMembershipFactory(host_unit=demand.host_unit).user
    solutions = []
    for name in ("示例大学功率电子实验室", "示例微通道散热研究院", "示例压接封装科技有限公司"):
        organisation = OrganisationFactory(kind="university", name=name)
        member = MembershipFactory(user=UserFactory(roles=["challenger"]),
                                   organisation=organisation).user
        solutions.append(SolutionFactory(demand=demand, organisation=organisation,
                                         created_by=member, status=SolutionStatus.SHORTLISTED))
    live_round = rounds.create_round(
        demand, title="SiC散热现场赛", starts_at=timezone.now() + timedelta(hours=2),
        venue="西安高新区路演厅", link="", solutions=solutions, actor=host,
        agenda=[(RoundPart.DOCKING, "需求介绍", 10, None)]
        + [(RoundPart.PITCHING, f"路演：{s.organisation.name}", 8, s) for s in solutions])
    # A demand-side representative judges (experts sign in with an authenticator too).
    judge_user = verified_user("pingwei@example.cn", full_name="王评委")
    MembershipFactory(user=judge_user, organisation=demand.organisation, role="member")
    rounds.invite_judge(live_round, judge_user, kind=JudgeKind.DEMAND_SIDE, actor=host)
    rounds.open_scoring(live_round, actor=host)
    return live_round, judge_user


def test_judge_scores_a_round_on_a_phone(journey):
    load_contest()
    live_round, judge_user = scoring_round()
    criteria = list(live_round.criteria.all())
    first, second = list(live_round.entries.all())[:2]
    page = journey.page
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    journey.sign_in(judge_user.email, PASSWORD)

    journey.goto(f"/matching/rounds/{live_round.pk}/")
    assert_fits(journey)
    journey.shot("round")
    journey.submit(f"a[href='/matching/rounds/{live_round.pk}/score/']")
    assert journey.path() == f"/matching/rounds/{live_round.pk}/score/{first.pk}/"
    assert_fits(journey)
    journey.shot("first-challenger")

    # typed, not submitted: the script saves each score
    for criterion, value in zip(criteria, ("86", "78.5"), strict=False):
        page.fill(f"#c{criterion.pk}", value)
    page.wait_for_function(
        "() => document.querySelector('.autosave-status').textContent === '✓'")
    sheet = ScoreSheet.objects.get(judge__user=judge_user, entry=first)
    assert dict(sheet.scores.values_list("criterion_id", "value")) == {
        criteria[0].pk: 86, criteria[1].pk: pytest.approx(78.5)}
    # out of range: refused and marked, nothing saved
    page.fill(f"#c{criteria[2].pk}", "130")
    page.wait_for_selector(f"#c{criteria[2].pk}[aria-invalid=true]")
    assert not sheet.scores.filter(criterion=criteria[2]).exists()
    journey.shot("refused-score")
    page.fill(f"#c{criteria[2].pk}", "90")
    page.wait_for_function(
        "() => document.querySelector('.autosave-status').textContent === '✓'")
    assert_fits(journey)
    journey.shot("typed")

    page.fill("#signed_name", "王评委")
    journey.submit("button[name=action][value=submit]")
    # on to the next challenger not yet submitted
    assert journey.path() == f"/matching/rounds/{live_round.pk}/score/{second.pk}/"
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED and rounds.verify(sheet)
    journey.shot("next-challenger")

    journey.goto(f"/matching/rounds/{live_round.pk}/score/{first.pk}/")
    assert page.locator(f"#c{criteria[0].pk}").is_disabled()
    assert sheet.digest in journey.text()
    assert_fits(journey)
    journey.shot("locked")

    judge = live_round.judges.get(user=judge_user)
    journey.goto(f"/matching/rounds/{live_round.pk}/judges/{judge.pk}/sheet/")
    assert sheet.digest in journey.text() and "王评委" in journey.text()
    assert_fits(journey)
    journey.shot("signed-sheet")
