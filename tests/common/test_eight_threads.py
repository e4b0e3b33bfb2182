"""Eight people doing the same thing at the same moment (PostgreSQL, real threads, one
connection each): scoring the same sheet, submitting the same solution, approving the same
demand, granting the same access request, confirming the same intention agreement. Exactly one
of them changes the row; the others get the domain's refusal (a ``DomainError``, which the page
shows), never another exception; nothing is lost or written twice. Edits racing the round's end
or after the solution deadline are refused."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import ActivityLog
from common.errors import DomainError
from contests.models import HostMembership
from demands.enums import AccessState, DemandStatus
from demands.models import AccessRequest, DemandTransition
from demands.services import access, workflow
from matching.enums import AgreementState, JudgeKind, RoundPart, RoundState, SheetState
from matching.models import IntentionAgreementTransition, Score, ScoreSheet
from matching.services import rounds
from matching.services.agreements import confirm, record_agreement
from notifications.models import Notification
from solutions.enums import SolutionStatus
from solutions.models import DemandResponse, SolutionTransition, SolutionVersion
from solutions.services import solutions as solution_services
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.contests import HostMembershipFactory, HostUnitFactory
from tests.factories.demands import DemandFactory
from tests.factories.solutions import SolutionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

EIGHT = 8


def at_once(*targets):
    """Run each target in its own thread, all released together; return each one's outcome:
    ``"done"`` or the refusal's code. Any exception other than a ``DomainError`` fails."""
    start = threading.Barrier(len(targets))
    outcomes, errors = [None] * len(targets), []

    def wrap(index, target):
        def run():
            try:
                start.wait(timeout=30)
                target()
                outcomes[index] = "done"
            except DomainError as refusal:
                outcomes[index] = refusal.code
            except Exception as exc:  # noqa: BLE001 - surfaced below
                errors.append(exc)
            finally:
                connection.close()
        return run

    threads = [threading.Thread(target=wrap(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return outcomes


def one_done(outcomes):
    assert outcomes.count("done") == 1, outcomes
    return [outcome for outcome in outcomes if outcome != "done"]


# --- a live round -------------------------------------------------------------------------------
def _challenger_solution(demand, name):
    organisation = OrganisationFactory(kind="university", name=name)
    member = MembershipFactory(user=UserFactory(roles=["challenger"]),
                               organisation=organisation).user
    return SolutionFactory(demand=demand, organisation=organisation, created_by=member,
                           status=SolutionStatus.SHORTLISTED)


@pytest.fixture
def scoring_round(postgres):
    unit = HostUnitFactory()
    host = HostMembershipFactory(host_unit=unit).user
    demand = DemandFactory(host_unit=unit, status=DemandStatus.PUBLISHED)
    solutions = [_challenger_solution(demand, f"并发评分{n}") for n in range(2)]
    live_round = rounds.create_round(
        demand, title="并发评分现场赛", starts_at=timezone.now() + datetime.timedelta(days=1),
        venue="会场", link="", solutions=solutions, actor=host,
        agenda=[(RoundPart.DOCKING, "对接", 10, None)]
        + [(RoundPart.PITCHING, "路演", 8, s) for s in solutions])
    judges = [rounds.invite_judge(live_round, UserFactory(roles=["expert"]),
                                  kind=JudgeKind.EXPERT, actor=host) for _ in range(EIGHT)]
    rounds.open_scoring(live_round, actor=host)
    live_round.refresh_from_db()
    return live_round, judges, host


def test_eight_tabs_scoring_and_submitting_the_same_sheet_lock_it_once(scoring_round):
    live_round, judges, _host = scoring_round
    judge = judges[0]
    entry = live_round.entries.first()
    criteria = list(live_round.criteria.all())

    def tab(index):
        def run():
            rounds.save_scores(live_round, entry, user=judge.user,
                               values={c.pk: str(60 + index) for c in criteria})
            rounds.submit_sheet(live_round, entry, user=judge.user, signed_name="评委甲")
        return run

    refused = one_done(at_once(*(tab(i) for i in range(EIGHT))))
    assert set(refused) == {"locked"}
    sheet = ScoreSheet.objects.get(judge=judge, entry=entry)
    assert sheet.state == SheetState.SUBMITTED
    assert rounds.verify(sheet)
    values = set(sheet.scores.values_list("value", flat=True))
    assert len(values) == 1 and 60 <= values.pop() < 60 + EIGHT  # one tab's, whole
    assert ActivityLog.objects.filter(action="portal.matching.round.sheet_submit").count() == 1


def test_saves_racing_the_end_of_the_round_land_before_it_or_are_refused(scoring_round,
                                                                         monkeypatch):
    """Eight judges keep saving while the host finishes the round: what the round holds the
    moment it is finished is what it holds afterwards; every later save is refused."""
    live_round, judges, host = scoring_round
    # Widen the window between a save's look at the round's state and its commit, so that a
    # save that is not ordered with the end of the round would be caught.
    get_or_create = ScoreSheet.objects.get_or_create

    def slow_get_or_create(*args, **kwargs):
        found = get_or_create(*args, **kwargs)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(ScoreSheet.objects, "get_or_create", slow_get_or_create)
    # The end's notices are sent after its commit, in this thread: not the subject here, and
    # they would delay the look at the scores past the saves in flight.
    monkeypatch.setattr(rounds, "_tell", lambda *args, **kwargs: None)
    entries = list(live_round.entries.all())
    criteria = list(live_round.criteria.all())
    finished, at_finish = threading.Event(), {}

    def judge_saves(index, judge):
        def run():
            step = 0
            while True:
                step += 1
                value = str(Decimal(50) + Decimal(step % 400) / 10)
                rounds.save_scores(live_round, entries[step % 2], user=judge.user,
                                   values={c.pk: value for c in criteria})
                if finished.is_set() and step > 1000:  # pragma: no cover - the refusal ends it
                    return
        return run

    def finish():
        time.sleep(0.4)  # the judges are saving
        rounds.finish(live_round, actor=host)
        at_finish.update(
            {pk: value for pk, value in Score.objects.filter(sheet__entry__round=live_round)
             .values_list("pk", "value")})
        finished.set()

    outcomes = at_once(finish, *(judge_saves(i, j) for i, j in enumerate(judges)))
    assert outcomes[0] == "done"
    assert outcomes[1:] == ["state"] * EIGHT  # each judge stopped by "scoring is not open"
    assert at_finish  # the judges had saved before the end
    after = dict(Score.objects.filter(sheet__entry__round=live_round).values_list("pk", "value"))
    assert after == at_finish
    live_round.refresh_from_db()
    assert live_round.state == RoundState.FINISHED


# --- a solution ---------------------------------------------------------------------------------
def _challenger_members(demand, count):
    organisation = OrganisationFactory(kind="university")
    members = []
    for _ in range(count):
        user = UserFactory(roles=["challenger"])
        MembershipFactory(user=user, organisation=organisation, role="admin")
        sign_current_agreements(user, demand.host_unit.event.contest)
        members.append(user)
    return organisation, members


def _content(demand):
    return {"title": "微通道液冷均温方案", "summary": "概述", "approach": "技术路线", "trl": 5,
            "ip_status": "none", "patent_numbers": [], "team_lead": "李教授",
            "team_members": "", "team_institution": "挑战大学", "cost": 120,
            "duration_months": 10, "cooperation_mode": demand.cooperation_modes[0]}


def test_eight_members_submitting_the_same_solution_submit_it_once(postgres):
    demand = DemandFactory(status=DemandStatus.PUBLISHED)
    organisation, members = _challenger_members(demand, EIGHT)
    draft = solution_services.create_solution(demand, actor=members[0],
                                              organisation=organisation, data=_content(demand))

    refused = one_done(at_once(*(
        (lambda m=m: solution_services.submit_solution(draft, actor=m)) for m in members)))
    assert set(refused) == {"illegal_transition"}
    draft.refresh_from_db()
    assert draft.status == SolutionStatus.SUBMITTED and draft.version == 1
    assert SolutionTransition.objects.filter(solution=draft).count() == 1
    assert SolutionVersion.objects.filter(solution=draft).count() == 1
    assert DemandResponse.objects.filter(demand=demand).count() == 1


def test_eight_members_starting_a_solution_at_once_make_one(postgres):
    demand = DemandFactory(status=DemandStatus.PUBLISHED)
    organisation, members = _challenger_members(demand, EIGHT)
    refused = one_done(at_once(*(
        (lambda m=m: solution_services.create_solution(
            demand, actor=m, organisation=organisation, data=_content(demand)))
        for m in members)))
    assert set(refused) == {"duplicate"}
    assert demand.solutions.count() == 1


def test_edits_and_submissions_after_the_deadline_are_refused(postgres):
    demand = DemandFactory(status=DemandStatus.PUBLISHED)
    organisation, members = _challenger_members(demand, EIGHT)
    submitted = solution_services.create_solution(demand, actor=members[0],
                                                  organisation=organisation,
                                                  data=_content(demand))
    solution_services.submit_solution(submitted, actor=members[0])
    demand.solution_deadline = timezone.localdate() - datetime.timedelta(days=1)
    demand.save(update_fields=["solution_deadline"])

    outcomes = at_once(*(
        (lambda m=m, n=n: solution_services.update_solution(
            submitted, actor=m, data={**_content(demand), "summary": f"截止后修改{n}"}))
        for n, m in enumerate(members)))
    assert outcomes == ["deadline"] * EIGHT
    submitted.refresh_from_db()
    assert submitted.summary == "概述" and submitted.version == 1


# --- a demand -----------------------------------------------------------------------------------
def test_eight_host_staff_approving_the_same_demand_approve_it_once(postgres):
    unit = HostUnitFactory()
    staff = [HostMembershipFactory(host_unit=unit).user for _ in range(EIGHT)]
    demand = DemandFactory(host_unit=unit, status=DemandStatus.SUBMITTED)
    owner = MembershipFactory(organisation=demand.organisation, role="admin").user
    assert HostMembership.objects.filter(host_unit=unit).count() == EIGHT

    refused = one_done(at_once(*(
        (lambda s=s: workflow.transition(demand, DemandStatus.APPROVED, actor=s))
        for s in staff)))
    assert set(refused) == {"illegal_transition"}
    demand.refresh_from_db()
    assert demand.status == DemandStatus.APPROVED
    assert list(DemandTransition.objects.filter(demand=demand)
                .values_list("from_state", "to_state")) == [
        (DemandStatus.SUBMITTED, DemandStatus.APPROVED)]
    assert Notification.objects.filter(recipient=owner, kind="demand.status_changed").count() == 1


# --- an access request --------------------------------------------------------------------------
def test_eight_admins_granting_the_same_access_request_grant_it_once(postgres):
    demand = DemandFactory(status=DemandStatus.PUBLISHED, hidden_fields=["budget"])
    admins = [MembershipFactory(organisation=demand.organisation, role="admin",
                                user=UserFactory(roles=["demand_company"])).user
              for _ in range(EIGHT)]
    challenger = UserFactory(roles=["challenger"])
    MembershipFactory(user=challenger, organisation=OrganisationFactory(kind="university"))
    sign_current_agreements(challenger, demand.host_unit.event.contest)
    asked = access.request_access(demand, user=challenger)

    refused = one_done(at_once(*(
        (lambda a=a: access.grant_access(asked, actor=a)) for a in admins)))
    assert set(refused) == {"illegal_transition"}
    asked.refresh_from_db()
    assert asked.state == AccessState.GRANTED and asked.decided_by in admins
    assert AccessRequest.objects.filter(demand=demand).count() == 1
    assert asked.transitions.count() == 1
    assert Notification.objects.filter(recipient=challenger,
                                       kind="demand.access_decided").count() == 1


# --- an intention agreement ---------------------------------------------------------------------
def test_eight_confirmations_of_the_same_agreement_confirm_each_side_once(postgres):
    """Four members of the demand's company and four of the partner confirm at once: each side
    is confirmed by exactly one of its members, the agreement once, the demand matched once."""
    unit = HostUnitFactory()
    demand = DemandFactory(host_unit=unit, status=DemandStatus.PUBLISHED)
    owners = [MembershipFactory(organisation=demand.organisation, role="admin",
                                user=UserFactory(roles=["demand_company"])).user
              for _ in range(EIGHT // 2)]
    partner = OrganisationFactory(kind="university")
    partners = [MembershipFactory(organisation=partner,
                                  user=UserFactory(roles=["challenger"])).user
                for _ in range(EIGHT // 2)]
    agreement = record_agreement(demand, partner, cooperation_mode="license", amount="120",
                                 signed_on=timezone.localdate(), actor=owners[0])

    outcomes = at_once(*((lambda u=u: confirm(agreement, actor=u)) for u in owners + partners))
    assert outcomes.count("done") == 2, outcomes  # one per side
    assert set(outcomes) - {"done"} <= {"confirmed", "permission_denied"}
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.CONFIRMED
    assert agreement.owner_confirmed_by in owners
    assert agreement.partner_confirmed_by in partners
    assert IntentionAgreementTransition.objects.filter(agreement=agreement).count() == 1
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    assert DemandTransition.objects.filter(demand=demand,
                                           to_state=DemandStatus.CLOSED).count() == 1
    assert DemandResponse.objects.filter(demand=demand).count() == 1
