"""Subsidies: a host unit's staff enter its policies; only a member of a matched demand's
organisation (a confirmed intention agreement of a demand at that unit) applies, within the
policy's maximum and open period; the unit's staff approve an amount (at most the policy's
maximum and the amount asked) or decline with a reason; the applicant withdraws while it
awaits decision; every step is notified, audited and kept in the history; strangers and
other units' staff get 404; the queue's query count is pinned; the figures for the hosts'
summary."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import ActivityLog
from awards import selectors, services
from awards.enums import SubsidyState
from awards.models import SubsidyApplication, SubsidyPolicy
from matching.enums import AgreementState
from matching.models import IntentionAgreement
from notifications.models import Notification
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.contests import HostMembershipFactory, WorkPlanFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def make_agreement(unit, owner, state=AgreementState.CONFIRMED, partner=None):
    demand = DemandFactory(host_unit=unit, status="published",
                           organisation=owner.organisations.first(), created_by=owner)
    return IntentionAgreement.objects.create(
        demand=demand, partner=partner or OrganisationFactory(kind="university"),
        cooperation_mode="license", amount=100, signed_on=timezone.localdate(),
        created_by=owner, state=state)


def policy_values(**changes):
    today = timezone.localdate()
    values = {"title": "揭榜对接研发补助", "description": "对成功对接的企业给予研发补助。",
              "max_amount": "50", "eligibility": "签订合作意向协议的需求企业",
              "opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=30)}
    values.update(changes)
    return values


@pytest.fixture
def policy(host_unit, host_organiser):
    return services.save_policy(host_unit, actor=host_organiser, **policy_values())


@pytest.fixture
def agreement(host_unit, demand_owner):
    return make_agreement(host_unit, demand_owner)


@pytest.fixture
def application(policy, agreement, demand_owner):
    return services.apply_for_subsidy(policy, agreement, amount="30", justification="研发投入大",
                                      actor=demand_owner)


# --- policies -------------------------------------------------------------------------------------
def test_only_the_units_staff_enter_its_policies(host_unit, host_organiser,
                                                 other_host_organiser, torch_staff):
    policy = services.save_policy(host_unit, actor=host_organiser, **policy_values())
    assert (policy.host_unit, policy.created_by) == (host_unit, host_organiser)
    assert ActivityLog.objects.filter(action="portal.awards.subsidy_policy.create").exists()
    for outsider in (other_host_organiser, torch_staff):
        with pytest.raises(services.AwardError) as error:
            services.save_policy(host_unit, actor=outsider, **policy_values())
        assert error.value.code == "permission_denied"
    assert SubsidyPolicy.objects.count() == 1


def test_policy_rules(host_unit, host_organiser, other_host_unit):
    today = timezone.localdate()
    with pytest.raises(services.AwardError) as error:
        services.save_policy(host_unit, actor=host_organiser,
                             **policy_values(closes_on=today - timedelta(days=2)))
    assert error.value.field == "closes_on"
    with pytest.raises(services.AwardError) as error:
        services.save_policy(host_unit, actor=host_organiser, **policy_values(max_amount="0"))
    assert error.value.field == "max_amount"
    with pytest.raises(services.AwardError) as error:
        services.save_policy(host_unit, actor=host_organiser,
                             **policy_values(work_plan=WorkPlanFactory(host_unit=other_host_unit)))
    assert error.value.field == "work_plan"
    plan = WorkPlanFactory(host_unit=host_unit)
    policy = services.save_policy(host_unit, actor=host_organiser,
                                  **policy_values(work_plan=plan))
    assert policy.work_plan == plan


def test_policies_are_public_in_summary_and_entered_on_the_page(client, policy, host_unit,
                                                                host_organiser,
                                                                other_host_organiser):
    page = client.get(reverse("awards:subsidy_policies", args=[host_unit.slug]))
    assert page.status_code == 200 and policy.title in page.content.decode()
    create = reverse("awards:subsidy_policy_create", args=[host_unit.slug])
    client.force_login(other_host_organiser)
    assert client.get(create).status_code == 404
    assert client.get(reverse("awards:subsidy_policy_edit", args=[policy.pk])).status_code == 404
    client.force_login(host_organiser)
    typed = {**policy_values(title="第二项补助", max_amount="20"),
             "closes_on": (timezone.localdate() - timedelta(days=9)).isoformat(),
             "opens_on": timezone.localdate().isoformat()}
    response = client.post(create, typed)
    assert response.status_code == 200  # closes before it opens: the form keeps what was typed
    assert "第二项补助" in response.content.decode()
    typed["closes_on"] = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert client.post(create, typed).status_code == 302
    assert SubsidyPolicy.objects.filter(host_unit=host_unit).count() == 2


# --- applying -------------------------------------------------------------------------------------
def test_a_matched_demands_organisation_applies_and_the_units_staff_are_told(
        application, host_organiser, other_host_organiser, agreement):
    assert application.state == SubsidyState.SUBMITTED
    assert application.organisation_id == agreement.demand.organisation_id
    assert application.host_unit_id == agreement.demand.host_unit_id
    assert Notification.objects.filter(kind="awards.subsidy", recipient=host_organiser).exists()
    assert not Notification.objects.filter(kind="awards.subsidy",
                                           recipient=other_host_organiser).exists()
    assert ActivityLog.objects.filter(action="portal.awards.subsidy.apply").exists()


def test_only_a_member_of_the_matched_demands_organisation_applies(
        policy, agreement, stranger, host_organiser, demand_owner):
    partner_member = MembershipFactory(organisation=agreement.partner).user
    for outsider in (stranger, partner_member, host_organiser):
        with pytest.raises(services.AwardError) as error:
            services.apply_for_subsidy(policy, agreement, amount="10", justification="理由",
                                       actor=outsider)
        assert error.value.code == "permission_denied"
    assert not SubsidyApplication.objects.exists()


def test_only_a_confirmed_agreement_of_the_policys_unit(policy, host_unit, other_host_unit,
                                                        demand_owner):
    draft = make_agreement(host_unit, demand_owner, state=AgreementState.DRAFT)
    elsewhere = make_agreement(other_host_unit, demand_owner)
    for agreement in (draft, elsewhere):
        with pytest.raises(services.AwardError) as error:
            services.apply_for_subsidy(policy, agreement, amount="10", justification="理由",
                                       actor=demand_owner)
        assert error.value.field == "agreement"
    assert not SubsidyApplication.objects.exists()


def test_amount_asked_and_open_period(policy, agreement, demand_owner):
    with pytest.raises(services.AwardError) as error:
        services.apply_for_subsidy(policy, agreement, amount="50.01", justification="理由",
                                   actor=demand_owner)
    assert error.value.field == "amount"
    with pytest.raises(services.AwardError) as error:
        services.apply_for_subsidy(policy, agreement, amount="0", justification="理由",
                                   actor=demand_owner)
    assert error.value.field == "amount"
    SubsidyPolicy.objects.filter(pk=policy.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1))
    policy.refresh_from_db()
    with pytest.raises(services.AwardError) as error:
        services.apply_for_subsidy(policy, agreement, amount="10", justification="理由",
                                   actor=demand_owner)
    assert error.value.code == "closed"


def test_one_live_application_per_matched_demand_and_policy(application, policy, agreement,
                                                            demand_owner):
    with pytest.raises(services.AwardError) as error:
        services.apply_for_subsidy(policy, agreement, amount="10", justification="再次",
                                   actor=demand_owner)
    assert error.value.field == "agreement"
    services.withdraw_subsidy(application, actor=demand_owner)
    again = services.apply_for_subsidy(policy, agreement, amount="10", justification="再次",
                                       actor=demand_owner)
    assert again.state == SubsidyState.SUBMITTED


# --- deciding -------------------------------------------------------------------------------------
def test_approved_amount_within_the_asked_and_the_policys_maximum(application, policy,
                                                                  host_organiser,
                                                                  demand_owner):
    with pytest.raises(services.AwardError) as error:
        services.approve_subsidy(application, amount="30.01", actor=host_organiser)
    assert error.value.field == "amount"
    with pytest.raises(services.AwardError):
        services.approve_subsidy(application, amount="0", actor=host_organiser)
    SubsidyPolicy.objects.filter(pk=policy.pk).update(max_amount=Decimal("25"))
    with pytest.raises(services.AwardError) as error:
        services.approve_subsidy(application, amount="26", actor=host_organiser)
    assert error.value.field == "amount"
    application.refresh_from_db()
    assert application.state == SubsidyState.SUBMITTED
    assert not application.transitions.exists()

    services.approve_subsidy(application, amount="25", reason="按政策上限", actor=host_organiser)

    assert (application.state, application.amount_approved) == (SubsidyState.APPROVED,
                                                                 Decimal("25"))
    assert application.decided_by == host_organiser and application.decided_at is not None
    step = application.transitions.get()
    assert (step.from_state, step.to_state, step.actor) == ("submitted", "approved",
                                                            host_organiser)
    assert ActivityLog.objects.filter(action="portal.awards.subsidy.approve").exists()
    assert Notification.objects.filter(kind="awards.subsidy", recipient=demand_owner,
                                       text__contains="25").exists()


def test_decline_needs_a_reason_which_the_applicant_reads(application, host_organiser,
                                                          demand_owner):
    with pytest.raises(services.AwardError) as error:
        services.decline_subsidy(application, reason="  ", actor=host_organiser)
    assert error.value.field == "reason"
    services.decline_subsidy(application, reason="不符合申请条件", actor=host_organiser)
    assert application.state == SubsidyState.DECLINED
    assert application.decision_reason == "不符合申请条件"
    assert Notification.objects.filter(kind="awards.subsidy", recipient=demand_owner,
                                       text__contains="不符合申请条件").exists()
    with pytest.raises(services.AwardError) as error:
        services.approve_subsidy(application, amount="10", actor=host_organiser)
    assert error.value.code == "illegal_transition"


def test_only_the_units_staff_decide(application, other_host_organiser, torch_staff,
                                     demand_owner):
    for outsider in (other_host_organiser, torch_staff, demand_owner):
        with pytest.raises(services.AwardError) as error:
            services.approve_subsidy(application, amount="10", actor=outsider)
        assert error.value.code == "permission_denied"
    application.refresh_from_db()
    assert application.state == SubsidyState.SUBMITTED


def test_only_the_applicant_withdraws_while_it_awaits_decision(application, host_organiser,
                                                               demand_owner):
    with pytest.raises(services.AwardError) as error:
        services.withdraw_subsidy(application, actor=host_organiser)
    assert error.value.code == "permission_denied"
    colleague = MembershipFactory(organisation=application.organisation).user
    services.withdraw_subsidy(application, actor=colleague)
    assert application.state == SubsidyState.WITHDRAWN
    assert Notification.objects.filter(kind="awards.subsidy", recipient=host_organiser,
                                       idempotency_key__endswith="withdrawn").exists()
    with pytest.raises(services.AwardError) as error:
        services.approve_subsidy(application, amount="10", actor=host_organiser)
    assert error.value.code == "illegal_transition"


# --- pages ----------------------------------------------------------------------------------------
def test_strangers_and_other_units_staff_get_404(client, application, stranger,
                                                 other_host_organiser, policy):
    detail = reverse("awards:subsidy_detail", args=[application.pk])
    step = reverse("awards:subsidy_step", args=[application.pk])
    for outsider in (stranger, other_host_organiser):
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert client.post(step, {"step": "approve", "amount": "10"}).status_code == 404
        assert client.get(reverse("awards:subsidy_apply", args=[policy.pk])).status_code == 404
        assert application.pk not in [row.pk for row in client.get(
            reverse("awards:subsidies")).context["applications"]]
    client.force_login(stranger)
    assert client.get(reverse("awards:subsidy_queue")).status_code == 404
    client.force_login(other_host_organiser)
    queue = client.get(reverse("awards:subsidy_queue"))
    assert queue.status_code == 200 and not list(queue.context["applications"])
    application.refresh_from_db()
    assert application.state == SubsidyState.SUBMITTED


def test_the_applicants_list_offers_the_open_policies_of_its_matched_units(
        client, policy, agreement, demand_owner, host_unit, host_organiser, other_host_unit,
        other_host_organiser, stranger):
    today = timezone.localdate()
    services.save_policy(host_unit, actor=host_organiser,
                         **policy_values(title="已截止的补助", closes_on=today - timedelta(days=1),
                                         opens_on=today - timedelta(days=9)))
    services.save_policy(other_host_unit, actor=other_host_organiser,
                         **policy_values(title="别处的补助"))

    client.force_login(demand_owner)
    page = client.get(reverse("awards:subsidies")).content.decode()

    assert policy.title in page
    assert reverse("awards:subsidy_apply", args=[policy.pk]) in page
    assert "已截止的补助" not in page and "别处的补助" not in page
    client.force_login(stranger)
    assert policy.title not in client.get(reverse("awards:subsidies")).content.decode()


def test_apply_on_the_page_with_private_supporting_files(client, policy, agreement,
                                                         demand_owner, host_organiser,
                                                         stranger):
    client.force_login(demand_owner)
    url = reverse("awards:subsidy_apply", args=[policy.pk])
    assert client.get(url).status_code == 200
    too_much = client.post(url, {"agreement": agreement.pk, "amount": "60",
                                 "justification": "研发投入大"})
    assert too_much.status_code == 200 and "研发投入大" in too_much.content.decode()
    response = client.post(url, {
        "agreement": agreement.pk, "amount": "30", "justification": "研发投入大",
        "files": [SimpleUploadedFile("研发费用明细.pdf", PDF, content_type="application/pdf")]})
    assert response.status_code == 302
    application = SubsidyApplication.objects.get()
    from files.selectors import files_for_object

    attached = files_for_object(application).get()
    assert attached.original_name == "研发费用明细.pdf"
    download = reverse("files:download", args=[attached.uuid])
    client.force_login(host_organiser)
    assert client.get(download).status_code == 200
    client.force_login(stranger)
    assert client.get(download).status_code == 404


def test_the_host_decides_on_the_page(client, application, host_organiser, demand_owner):
    client.force_login(host_organiser)
    url = reverse("awards:subsidy_step", args=[application.pk])
    over = client.post(url, {"step": "approve", "amount": "31", "reason": "备注"})
    assert over.status_code == 400 and "备注" in over.content.decode()
    assert client.post(url, {"step": "approve", "amount": "20"}).status_code == 302
    application.refresh_from_db()
    assert application.amount_approved == Decimal("20")
    client.force_login(demand_owner)
    page = client.get(reverse("awards:subsidy_detail", args=[application.pk]))
    assert page.status_code == 200 and "20" in page.content.decode()


def test_host_queue_query_count_is_pinned(client, policy, host_unit, host_organiser,
                                          django_assert_max_num_queries):
    def add_application():
        owner = MembershipFactory().user
        agreement = make_agreement(host_unit, owner)
        services.apply_for_subsidy(policy, agreement, amount="5", justification="理由",
                                   actor=owner)

    add_application()
    client.force_login(host_organiser)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("awards:subsidy_queue")).status_code == 200
    for _ in range(5):
        add_application()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("awards:subsidy_queue"))
    assert len(response.context["applications"]) == 6


# --- figures --------------------------------------------------------------------------------------
def test_subsidies_approved_counts_and_sums_per_host_units(application, host_unit,
                                                           other_host_unit, host_organiser,
                                                           demand_owner, policy):
    assert selectors.subsidies_approved([host_unit]) == {"count": 0, "amount": Decimal("0")}
    services.approve_subsidy(application, amount="12.5", actor=host_organiser)
    second = services.apply_for_subsidy(policy, make_agreement(host_unit, demand_owner),
                                        amount="8", justification="理由", actor=demand_owner)
    services.approve_subsidy(second, amount="7.5", actor=host_organiser)
    declined = services.apply_for_subsidy(policy, make_agreement(host_unit, demand_owner),
                                          amount="8", justification="理由", actor=demand_owner)
    services.decline_subsidy(declined, reason="不符", actor=host_organiser)
    other_staff = HostMembershipFactory(host_unit=other_host_unit).user
    other_policy = services.save_policy(other_host_unit, actor=other_staff, **policy_values())
    other = services.apply_for_subsidy(other_policy, make_agreement(other_host_unit,
                                                                   demand_owner),
                                       amount="3", justification="理由", actor=demand_owner)
    services.approve_subsidy(other, amount="3", actor=other_staff)

    assert selectors.subsidies_approved([host_unit]) == {"count": 2, "amount": Decimal("20")}
    assert selectors.subsidies_approved([host_unit.pk, other_host_unit.pk]) == {
        "count": 3, "amount": Decimal("23")}
    from contests.models import HostUnit

    assert selectors.subsidies_approved(HostUnit.objects.filter(pk=other_host_unit.pk)) == {
        "count": 1, "amount": Decimal("3")}


# --- Django admin ---------------------------------------------------------------------------------
def test_admin_policies_are_written_through_the_service(host_unit, host_organiser, torch_staff,
                                                        other_host_unit):
    from django.test import Client

    from tests.contests.conftest import sign_in

    add = reverse("admin:awards_subsidypolicy_add")
    values = {**policy_values(title="后台录入的补助"), "host_unit": host_unit.pk}
    values["opens_on"] = values["opens_on"].isoformat()
    values["closes_on"] = values["closes_on"].isoformat()
    torch = sign_in(Client(), torch_staff)
    assert torch.post(add, values).status_code == 403
    host = sign_in(Client(), host_organiser)
    wrong = host.post(add, {**values, "closes_on": "2000-01-01"})
    assert wrong.status_code == 200 and not SubsidyPolicy.objects.exists()
    assert host.post(add, {**values, "host_unit": other_host_unit.pk}).status_code == 200
    assert not SubsidyPolicy.objects.exists()

    assert host.post(add, values).status_code == 302

    policy = SubsidyPolicy.objects.get()
    assert (policy.host_unit, policy.created_by) == (host_unit, host_organiser)
    assert ActivityLog.objects.filter(action="portal.awards.subsidy_policy.create",
                                      object_id=str(policy.pk)).exists()


def test_admin_applications_are_read_only(application, host_organiser):
    from django.test import Client

    from tests.contests.conftest import sign_in

    host = sign_in(Client(), host_organiser)
    change = reverse("admin:awards_subsidyapplication_change", args=[application.pk])
    assert host.get(change).status_code == 200
    host.post(change, {"state": "approved", "amount_approved": "30"})
    application.refresh_from_db()
    assert (application.state, application.amount_approved) == (SubsidyState.SUBMITTED, None)
