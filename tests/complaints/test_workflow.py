"""Filing, routing, the workflow with its clock, escalation and take-over."""

import datetime

import pytest
from django.utils import timezone

from audit.models import ActivityLog
from complaints import services
from complaints.clock import add_working_days, working_days_between
from complaints.enums import ComplaintState
from complaints.models import Complaint
from notifications.models import Notification
from tests.factories.accounts import UserFactory


def test_working_days_follow_the_mainland_calendar():
    # National Day 2026: 1-7 October off, Saturday 10 October worked in exchange.
    assert add_working_days(datetime.date(2026, 9, 30), 5) == datetime.date(2026, 10, 13)
    # Spring Festival 2026: 15-23 February off, Saturday 14 February worked.
    assert add_working_days(datetime.date(2026, 2, 13), 5) == datetime.date(2026, 2, 27)
    assert working_days_between(datetime.date(2026, 9, 30), datetime.date(2026, 10, 13)) == 5


def test_a_year_without_calendar_data_counts_monday_to_friday():
    assert add_working_days(datetime.date(2030, 1, 4), 5) == datetime.date(2030, 1, 11)


def test_filing_numbers_routes_and_notifies(complaint, host_organiser, challenger, demand):
    assert complaint.number.startswith(f"TS{timezone.localdate():%Y}")
    assert complaint.handling_unit_id == demand.host_unit_id
    assert complaint.host_unit_id == demand.host_unit_id
    assert not complaint.handled_by_torch
    assert complaint.accept_due == add_working_days(timezone.localdate(), 5)
    assert set(complaint.parties.values_list("pk", flat=True)) == set(
        demand.organisation.memberships.values_list("user_id", flat=True))
    kinds = set(Notification.objects.values_list("recipient_id", "kind"))
    assert (challenger.pk, "complaint.update") in kinds
    assert (host_organiser.pk, "complaint.to_handle") in kinds
    assert ActivityLog.objects.filter(action="portal.complaint.file").count() == 1


def test_a_complaint_about_a_host_unit_goes_to_torch(host_unit, host_organiser, challenger,
                                                     torch_staff):
    complaint = services.file_complaint(
        complainant=challenger, target_key="contests.hostunit", reference=host_unit.slug,
        category="conduct", description="主办单位工作人员态度恶劣")
    assert complaint.handling_unit_id is None and complaint.handled_by_torch
    assert complaint.host_unit_id == host_unit.pk
    assert list(complaint.parties.all()) == [host_organiser]
    assert Notification.objects.filter(recipient=torch_staff, kind="complaint.to_handle").exists()
    assert not Notification.objects.filter(recipient=host_organiser).exists()
    # The unit's staff cannot handle (nor see) it; Torch staff can.
    with pytest.raises(services.ComplaintError):
        services.accept(complaint, actor=host_organiser)
    services.accept(complaint, actor=torch_staff)


def test_own_unit_and_own_demand_cannot_be_complained_about(host_unit, host_organiser, demand,
                                                            demand_owner):
    with pytest.raises(services.ComplaintError) as error:
        services.file_complaint(complainant=host_organiser, target_key="contests.hostunit",
                                reference=host_unit.slug, category="other", description="x")
    assert error.value.field == "reference"
    with pytest.raises(services.ComplaintError):
        services.file_complaint(complainant=demand_owner, target_key="demands.demand",
                                reference=demand.ref, category="other", description="x")


def test_a_participant_complaint_needs_the_host_unit(challenger, demand, host_unit):
    organisation = demand.organisation
    with pytest.raises(services.ComplaintError) as error:
        services.file_complaint(complainant=challenger, target_key="accounts.organisation",
                                reference=organisation.name, category="conduct",
                                description="对方违约")
    assert error.value.field == "host_unit"
    complaint = services.file_complaint(
        complainant=challenger, target_key="accounts.organisation", reference=organisation.name,
        category="conduct", description="对方违约", host_unit=host_unit)
    assert complaint.handling_unit == host_unit


def test_the_whole_workflow(complaint, host_organiser, challenger):
    with pytest.raises(services.ComplaintError) as error:
        services.decline(complaint, actor=host_organiser, reason="")
    assert error.value.code == "reason_required"
    services.accept(complaint, actor=host_organiser)
    services.start_investigation(complaint, actor=host_organiser)
    with pytest.raises(services.ComplaintError):
        services.resolve(complaint, actor=host_organiser, outcome=" ")
    services.resolve(complaint, actor=host_organiser, outcome="已重新评审，结果维持。")
    complaint.refresh_from_db()
    assert complaint.outcome == "已重新评审，结果维持。"
    assert complaint.close_due - complaint.resolved_at == datetime.timedelta(days=15)
    with pytest.raises(services.ComplaintError):  # only the complainant gives feedback
        services.give_feedback(complaint, actor=host_organiser, feedback="", satisfied=True)
    services.give_feedback(complaint, actor=challenger, feedback="满意", satisfied=True)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED and complaint.satisfied is True
    steps = list(complaint.transitions.values_list("to_state", flat=True))
    assert steps == ["accepted", "investigating", "resolved", "closed"]
    # The complainant was told at each step.
    assert Notification.objects.filter(recipient=challenger, kind="complaint.update").count() == 5


def test_information_is_added_while_open_only(complaint, challenger, host_organiser):
    services.add_information(complaint, actor=challenger, text="补充证据说明")
    assert Notification.objects.filter(recipient=host_organiser,
                                       text__contains=complaint.number).count() == 2
    services.decline(complaint, actor=host_organiser, reason="不属于受理范围")
    with pytest.raises(services.ComplaintError):
        services.add_information(complaint, actor=challenger, text="再补充")


def test_overdue_cases_escalate_once_to_torch(complaint, torch_staff, host_organiser):
    due = complaint.accept_due
    # On the due day itself nothing happens.
    on_due_day = timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 0)))
    assert services.run_clock(now=on_due_day) == (0, 0)
    next_day = on_due_day + datetime.timedelta(days=1)
    assert services.run_clock(now=next_day) == (1, 0)
    assert services.run_clock(now=next_day) == (0, 0)
    complaint.refresh_from_db()
    assert complaint.escalated_at == next_day
    assert Notification.objects.filter(recipient=torch_staff, kind="complaint.to_handle",
                                       text__contains=complaint.number).count() == 1
    # Torch staff take it over; from then on they handle it, not the host unit.
    services.take_over(complaint, actor=torch_staff)
    with pytest.raises(services.ComplaintError):
        services.accept(complaint, actor=host_organiser)
    services.accept(complaint, actor=torch_staff)
    with pytest.raises(services.ComplaintError):
        services.take_over(complaint, actor=torch_staff)


def test_an_answered_case_does_not_escalate(complaint, host_organiser):
    services.accept(complaint, actor=host_organiser)
    later = timezone.now() + datetime.timedelta(days=30)
    assert services.run_clock(now=later) == (0, 0)


def test_resolved_cases_close_after_15_days(complaint, host_organiser):
    services.accept(complaint, actor=host_organiser)
    services.start_investigation(complaint, actor=host_organiser)
    services.resolve(complaint, actor=host_organiser, outcome="处理完毕")
    complaint.refresh_from_db()
    assert services.run_clock(now=complaint.close_due - datetime.timedelta(minutes=1)) == (0, 0)
    assert services.run_clock(now=complaint.close_due) == (0, 1)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED
    assert complaint.transitions.last().actor is None


def test_the_beat_task_runs_the_clock(complaint):
    from complaints.tasks import run_clock

    Complaint.objects.filter(pk=complaint.pk).update(
        accept_due=timezone.localdate() - datetime.timedelta(days=1))
    assert run_clock.delay().get() == {"escalated": 1, "closed": 0}


def test_withdrawal_by_the_complainant_only(complaint, challenger):
    with pytest.raises(services.ComplaintError):
        services.withdraw(complaint, actor=UserFactory())
    services.withdraw(complaint, actor=challenger)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.WITHDRAWN and complaint.closed_at


def test_audit_export_holds_the_case_and_its_target(complaint, host_organiser, demand):
    from audit.services import log_action

    log_action("portal.demand.view_hidden", actor=host_organiser, obj=demand)
    services.accept(complaint, actor=host_organiser)
    actions = [entry.action for entry in services.audit_entries(complaint)]
    assert actions == ["portal.complaint.file", "portal.demand.view_hidden",
                       "portal.complaint.accepted"]


def test_the_complainant_downloads_their_complaints(complaint, challenger):
    from accounts.privacy import export_user_data

    services.add_information(complaint, actor=challenger, text="补充EXPORT")
    data = export_user_data(challenger)
    assert data["sections"]["complaints"]["complaints"][0]["number"] == complaint.number
    assert data["sections"]["complaints"]["entries"][0]["text"] == "补充EXPORT"


def test_the_demand_owner_complains_about_a_solution_it_received(demand, demand_owner,
                                                                 challenger, host_organiser):
    from tests.factories.accounts import MembershipFactory
    from tests.factories.solutions import SolutionFactory

    solving = MembershipFactory(user=challenger).organisation
    solution = SolutionFactory(demand=demand, organisation=solving, created_by=challenger,
                               status="submitted")
    draft = SolutionFactory(demand=demand, created_by=challenger, status="draft",
                            submitted_at=None)
    stranger = UserFactory()

    complaint = services.file_complaint(
        complainant=demand_owner, target_key="solutions.solution", reference=str(solution.pk),
        category="confidentiality", description="方案抄袭了我方专利")

    assert complaint.handling_unit_id == demand.host_unit_id
    assert list(complaint.parties.all()) == [challenger]
    # A draft, a solution the complainant may not see, and one's own: "nothing has that reference".
    for user, target in [(demand_owner, draft), (stranger, solution), (challenger, solution)]:
        with pytest.raises(services.ComplaintError):
            services.file_complaint(complainant=user, target_key="solutions.solution",
                                    reference=str(target.pk), category="other",
                                    description="x")
