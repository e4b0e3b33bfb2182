import pytest
from django.urls import reverse

from accounts import services, workspace
from accounts.models import User
from tests.accounts.conftest import field_block
from tests.factories.accounts import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)

DASHBOARD = reverse("accounts:dashboard")
ACCOUNTS_SECTIONS = {"profile", "roles", "organisations", "agreements"}


@pytest.fixture
def only_accounts_sections(monkeypatch):
    """Other apps add their own sections; these tests pin the accounts ones."""
    monkeypatch.setattr(workspace, "_sections", {
        key: section for key, section in workspace._sections.items()
        if key in ACCOUNTS_SECTIONS})


def test_dashboard_requires_sign_in(client, db):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_roles_organisations_and_agreement_status(client, login_as, contest,
                                                                  english):
    user = UserFactory(full_name="王芳", roles=["challenger", "expert"])
    MembershipFactory(user=user, organisation=OrganisationFactory(name="西北工业大学",
                                                                  kind="university"))
    AgreementFactory(scope=contest, kind="nda", version=1)
    AgreementFactory(scope=contest, kind="disclaimer", version=1)
    login_as(user)

    html = client.get(DASHBOARD).content.decode()

    assert "王芳" in html
    assert '<span class="tag">Challenger</span>' in html
    assert '<span class="tag">Expert</span>' in html
    assert "西北工业大学" in html
    assert "To sign (version 1)" in html
    assert reverse("accounts:profile") in html
    assert reverse("accounts:organisation_create") in html
    assert reverse("accounts:organisation_join") in html
    assert reverse("accounts:agreements_sign") in html
    assert reverse("accounts:signatures") in html


def test_dashboard_agreements_signed_has_no_sign_button(client, login_as, contest):
    user = UserFactory()
    sign_current_agreements(user, contest)
    login_as(user)

    html = client.get(DASHBOARD).content.decode()

    assert f'href="{reverse("accounts:agreements_sign")}' not in html


def test_dashboard_shows_pending_requests_to_org_admin_only(client, login_as, db):
    organisation = OrganisationFactory(name="示例公司")
    admin = MembershipFactory(organisation=organisation, role="admin").user
    member = MembershipFactory(organisation=organisation, role="member").user
    request = services.request_membership(UserFactory(full_name="申请者赵六"), organisation)
    decide = reverse("accounts:membership_decide", kwargs={"pk": request.pk})

    login_as(admin)
    admin_html = client.get(DASHBOARD).content.decode()
    login_as(member)
    member_html = client.get(DASHBOARD).content.decode()

    assert "申请者赵六" in admin_html and decide in admin_html
    assert "申请者赵六" not in member_html and decide not in member_html


def test_dashboard_approve_returns_to_dashboard(client, login_as, db):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    request = services.request_membership(UserFactory(), organisation)
    login_as(admin)

    response = client.post(reverse("accounts:membership_decide", kwargs={"pk": request.pk}),
                           {"decision": "approve", "next": DASHBOARD})

    assert response["Location"] == DASHBOARD


def test_dashboard_approve_ignores_offsite_next(client, login_as, db):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    request = services.request_membership(UserFactory(), organisation)
    login_as(admin)

    response = client.post(reverse("accounts:membership_decide", kwargs={"pk": request.pk}),
                           {"decision": "approve", "next": "//evil.example.com/"})

    assert response["Location"] == reverse("accounts:organisation_detail",
                                           kwargs={"pk": organisation.pk})


def test_dashboard_renders_sections_registered_by_other_apps(client, login_as, db,
                                                             monkeypatch):
    monkeypatch.setattr(workspace, "_sections", dict(workspace._sections))
    workspace.register_section("example", "includes/empty_state.html",
                               lambda request: {"text": f"hello {request.user.full_name}"},
                               order=5)
    workspace.register_section("hidden", "includes/empty_state.html", lambda request: None)
    login_as(UserFactory(full_name="钱七"))

    html = client.get(DASHBOARD).content.decode()

    assert "hello 钱七" in html
    assert html.index("hello 钱七") < html.index('id="profile"')


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_does_not_grow_with_memberships(
        client, login_as, contest, only_accounts_sections, django_assert_num_queries, count):
    user = UserFactory(roles=["challenger"])
    for _ in range(count):
        organisation = MembershipFactory(user=user, role="admin").organisation
        services.request_membership(UserFactory(), organisation)
    AgreementFactory(scope=contest, kind="nda", version=1)
    login_as(user)
    client.get(DASHBOARD)

    with django_assert_num_queries(5):
        response = client.get(DASHBOARD)
    assert len(response.context["sections"]) == len(ACCOUNTS_SECTIONS)


@pytest.mark.parametrize("count", [1, 3])
def test_join_search_query_count_does_not_grow_with_results(
        client, login_as, db, django_assert_num_queries, count):
    for n in range(count):
        MembershipFactory(organisation=OrganisationFactory(name=f"光电公司{n}"))
    login_as(UserFactory())
    client.get(reverse("accounts:organisation_join"))

    with django_assert_num_queries(2):
        response = client.get(reverse("accounts:organisation_join"), {"q": "光电"})
    assert len(response.context["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_organisation_page_query_count_does_not_grow_with_members(
        client, login_as, db, django_assert_num_queries, count):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    for _ in range(count):
        MembershipFactory(organisation=organisation, role="member")
        services.request_membership(UserFactory(), organisation)
    login_as(admin)
    url = reverse("accounts:organisation_detail", kwargs={"pk": organisation.pk})
    client.get(url)

    with django_assert_num_queries(4):
        client.get(url)


# --- profile ----------------------------------------------------------------------------------
def test_profile_edit_normalises_mobile_and_sets_language(client, login_as, db):
    user = UserFactory()
    login_as(user)

    response = client.post(reverse("accounts:profile"), {
        "full_name": "  孙八 ", "mobile": "0086 139-1234-5678", "language": "en"})

    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert (user.full_name, user.mobile, user.language) == ("孙八", "13912345678", "en")
    assert response.cookies["django_language"].value == "en"


def test_profile_edit_bad_mobile_keeps_input(client, login_as, english, db):
    user = UserFactory(full_name="原名", mobile="13800138000")
    login_as(user)

    response = client.post(reverse("accounts:profile"), {
        "full_name": "新名字", "mobile": "12345", "language": "zh-hans"})

    html = response.content.decode()
    assert "Enter an 11-digit mainland mobile number" in field_block(html, "mobile")
    assert 'value="12345"' in field_block(html, "mobile")
    assert 'value="新名字"' in field_block(html, "full_name")
    user.refresh_from_db()
    assert (user.full_name, user.mobile) == ("原名", "13800138000")
