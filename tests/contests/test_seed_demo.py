from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.credit_code import is_valid
from accounts.enums import AgreementKind
from accounts.models import AgreementSignature
from contests.enums import WorkPlanState
from contests.models import ChallengeNotice, ComplaintChannel, HostUnit, WorkPlan
from contests.permissions import is_host_staff_of

pytestmark = pytest.mark.django_db

EMAILS = ["torch@demo.cn", "host.xian@demo.cn", "host.beijing@demo.cn", "company@demo.cn",
          "challenger@demo.cn", "expert@demo.cn", "agency@demo.cn"]


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    return seed()


def user(email):
    return get_user_model().objects.get(email=email)


def test_seed_demo_creates_one_account_per_role_and_prints_each_password_once(seeded):
    assert all(f"created  {email}" in seeded for email in EMAILS)
    assert seeded.count("password: Challenge-2026") == len(EMAILS)

    again = seed()

    assert "Challenge-2026" not in again
    assert all(f"exists   {email}" in again for email in EMAILS)
    assert get_user_model().objects.filter(email__endswith="@demo.cn").count() == len(EMAILS)


def test_seed_demo_accounts_can_sign_in(seeded, client):
    for email in EMAILS:
        address = EmailAddress.objects.get(email=email)
        assert (address.verified, address.primary) == (True, True)
    response = client.post("/accounts/login/", {"login": "company@demo.cn",
                                                "password": "Challenge-2026"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_seed_demo_roles_and_host_units(seeded):
    assert user("torch@demo.cn").role_codes() == {"torch_staff"}
    assert user("torch@demo.cn").is_staff
    xian_host = user("host.xian@demo.cn")
    assert xian_host.is_staff and "host_organiser" in xian_host.role_codes()
    assert is_host_staff_of(xian_host, HostUnit.objects.get(name="西安市人民政府"))
    beijing = user("host.beijing@demo.cn")
    assert sorted(beijing.host_units.values_list("event__number", flat=True)) == [1, 5]
    assert not is_host_staff_of(beijing, HostUnit.objects.get(slug="xian"))


def test_seed_demo_organisations_are_verified_with_valid_credit_codes(seeded):
    company = user("company@demo.cn").memberships.select_related("organisation").get()
    assert company.role == "admin" and company.state == "active"
    assert company.organisation.verified
    assert company.organisation.credit_code.startswith("91610131MA6TXXXXX")
    assert is_valid(company.organisation.credit_code)
    university = user("challenger@demo.cn").memberships.get().organisation
    assert university.kind == "university" and is_valid(university.credit_code)


def test_seed_demo_expert_signed_the_nda_and_disclaimer(seeded):
    kinds = set(AgreementSignature.objects.filter(user=user("expert@demo.cn"))
                .values_list("agreement__kind", flat=True))
    assert kinds == {AgreementKind.NDA, AgreementKind.DISCLAIMER}


def test_seed_demo_gives_xian_an_approved_plan_a_notice_and_complaint_channels(seeded, client):
    xian = HostUnit.objects.get(slug="xian")
    plan = WorkPlan.objects.get(host_unit=xian)
    assert plan.state == WorkPlanState.APPROVED
    assert list(plan.transitions.values_list("to_state", flat=True)) == ["submitted", "approved"]
    assert ChallengeNotice.objects.get(host_unit=xian).is_published
    assert ComplaintChannel.objects.filter(host_unit=xian).count() == 2

    page = client.get(xian.get_absolute_url()).content.decode()

    assert "硬科技发展专题赛挑战须知" in page
    assert "2021-06-01" in page
    assert "029-86786000" in page and "010-88656297" in page


def test_seed_demo_twice_changes_no_content(seeded):
    counts = (WorkPlan.objects.count(), ChallengeNotice.objects.count(),
              ComplaintChannel.objects.count(), AgreementSignature.objects.count())
    seed()
    assert (WorkPlan.objects.count(), ChallengeNotice.objects.count(),
            ComplaintChannel.objects.count(), AgreementSignature.objects.count()) == counts


def test_seed_demo_leaves_a_plan_waiting_for_the_torch_center(seeded):
    assert WorkPlan.objects.get(host_unit__slug="beijing").state == WorkPlanState.SUBMITTED


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        seed()
    assert not get_user_model().objects.filter(email__endswith="@demo.cn").exists()


def test_seed_demo_refuses_a_weak_password(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        seed(password="12345678")
    assert not get_user_model().objects.filter(email__endswith="@demo.cn").exists()


def test_seed_demo_summaries_submits_xians_report_once(seeded):
    from contests.enums import SummaryState
    from contests.models import SummaryReport
    from contests.summary import registered

    for _run in range(2):
        call_command("seed_demo_summaries", stdout=StringIO())

    report = SummaryReport.objects.get()
    assert is_host_staff_of(user("host.xian@demo.cn"), report.host_unit)
    assert report.state == SummaryState.SUBMITTED
    assert [row["key"] for row in report.figures] == [figure.key for figure in registered()]
    assert report.transitions.count() == 1
