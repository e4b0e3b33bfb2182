import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.enums import MembershipRole, MembershipState
from accounts.exceptions import AccountsError
from accounts.models import Membership
from audit.models import ActivityLog
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory

JOIN = reverse("accounts:organisation_join")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="西电智能感知团队", credit_code=None, kind="team")


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(organisation=organisation, role="admin", state="active").user


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="申请人")


def decide_url(membership):
    return reverse("accounts:membership_decide", kwargs={"pk": membership.pk})


def test_join_search_finds_by_name_and_by_credit_code(client, login_as, applicant):
    by_name = OrganisationFactory(name="西安光电科技有限公司")
    by_code = OrganisationFactory(name="另一家公司", credit_code="91440300568520498A")
    OrganisationFactory(name="无关单位")
    login_as(applicant)

    found_by_name = client.get(JOIN, {"q": "光电"}).context["results"]
    found_by_code = client.get(JOIN, {"q": "9144 0300 5685 2049 8a"}).context["results"]

    assert [o.pk for o in found_by_name] == [by_name.pk]
    assert [o.pk for o in found_by_code] == [by_code.pk]


def test_join_request_creates_pending_membership(client, login_as, applicant, organisation,
                                                 org_admin):
    login_as(applicant)

    response = client.post(JOIN, {"organisation": organisation.pk})

    assert response.status_code == 302
    membership = Membership.objects.get(user=applicant, organisation=organisation)
    assert (membership.state, membership.role) == (MembershipState.PENDING,
                                                    MembershipRole.MEMBER)


def test_join_request_twice_refused_with_message(client, login_as, applicant, organisation,
                                                 english):
    login_as(applicant)
    client.post(JOIN, {"organisation": organisation.pk})

    response = client.post(JOIN, {"organisation": organisation.pk}, follow=True)

    assert Membership.objects.filter(user=applicant).count() == 1
    assert any("already asked" in str(m) for m in response.context["messages"])


def test_join_request_unknown_organisation_is_404(client, login_as, applicant):
    login_as(applicant)

    assert client.post(JOIN, {"organisation": "999999"}).status_code == 404
    assert client.post(JOIN, {"organisation": "abc"}).status_code == 404


def test_pending_member_does_not_see_organisation_page(client, login_as, applicant,
                                                       organisation):
    services.request_membership(applicant, organisation)
    login_as(applicant)

    response = client.get(reverse("accounts:organisation_detail",
                                  kwargs={"pk": organisation.pk}))

    assert response.status_code == 404


def test_org_admin_approves_request_from_organisation_page(client, login_as, applicant,
                                                           organisation, org_admin):
    membership = services.request_membership(applicant, organisation)
    login_as(org_admin)
    page = client.get(reverse("accounts:organisation_detail", kwargs={"pk": organisation.pk}))
    assert decide_url(membership) in page.content.decode()

    response = client.post(decide_url(membership), {"decision": "approve"})

    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.state == MembershipState.ACTIVE
    assert membership.decided_by == org_admin
    assert membership.decided_at is not None
    entry = ActivityLog.objects.get(action="portal.membership.approve")
    assert (entry.from_state, entry.to_state, entry.actor) == ("pending", "active", org_admin)


def test_org_admin_declines_request_then_applicant_may_ask_again(client, login_as, applicant,
                                                                 organisation, org_admin):
    membership = services.request_membership(applicant, organisation)
    login_as(org_admin)
    client.post(decide_url(membership), {"decision": "decline"})
    membership.refresh_from_db()
    assert membership.state == MembershipState.DECLINED

    again = services.request_membership(applicant, organisation)

    assert again.pk == membership.pk
    again.refresh_from_db()
    assert (again.state, again.decided_by) == (MembershipState.PENDING, None)


def test_plain_member_cannot_decide_and_gets_404(client, login_as, applicant, organisation):
    plain = MembershipFactory(organisation=organisation, role="member", state="active").user
    membership = services.request_membership(applicant, organisation)
    login_as(plain)

    response = client.post(decide_url(membership), {"decision": "approve"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.state == MembershipState.PENDING


def test_admin_of_other_organisation_cannot_decide(client, login_as, applicant, organisation):
    other_admin = MembershipFactory(role="admin", state="active").user
    membership = services.request_membership(applicant, organisation)
    login_as(other_admin)

    response = client.post(decide_url(membership), {"decision": "approve"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.state == MembershipState.PENDING


def test_decide_get_not_allowed(client, login_as, applicant, organisation, org_admin):
    membership = services.request_membership(applicant, organisation)
    login_as(org_admin)

    assert client.get(decide_url(membership)).status_code == 405


def test_decision_already_taken_is_refused(applicant, organisation, org_admin):
    membership = services.request_membership(applicant, organisation)
    services.approve_membership(membership, org_admin)

    with pytest.raises(AccountsError):
        services.decline_membership(membership, org_admin)
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE


def test_stale_decision_refused_when_other_admin_decided_first(applicant, organisation,
                                                               org_admin):
    second_admin = MembershipFactory(organisation=organisation, role="admin").user
    membership = services.request_membership(applicant, organisation)
    stale_copy = Membership.objects.get(pk=membership.pk)
    services.approve_membership(membership, org_admin)

    with pytest.raises(AccountsError):
        services.decline_membership(stale_copy, second_admin)
    membership.refresh_from_db()
    assert (membership.state, membership.decided_by) == (MembershipState.ACTIVE, org_admin)


def test_stranger_cannot_approve_via_service(applicant, organisation, stranger):
    membership = services.request_membership(applicant, organisation)

    with pytest.raises(PermissionDenied):
        services.approve_membership(membership, stranger)


def test_organisation_page_lists_members(client, login_as, organisation, org_admin):
    member = MembershipFactory(organisation=organisation, role="member",
                               user=UserFactory(full_name="成员乙")).user
    pending = services.request_membership(UserFactory(full_name="申请人丙"), organisation)
    login_as(member)

    html = client.get(reverse("accounts:organisation_detail",
                              kwargs={"pk": organisation.pk})).content.decode()

    assert "成员乙" in html
    assert org_admin.full_name in html
    # A plain member neither sees pending requests nor the decision buttons.
    assert "申请人丙" not in html
    assert decide_url(pending) not in html


def test_last_admin_cannot_be_demoted(organisation, org_admin, torch_staff):
    membership = Membership.objects.get(user=org_admin, organisation=organisation)

    with pytest.raises(AccountsError):
        services.set_membership_role(membership, "member", actor=torch_staff)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.ADMIN


def test_admin_may_promote_member(organisation, org_admin):
    membership = MembershipFactory(organisation=organisation, role="member")

    services.set_membership_role(membership, "admin", actor=org_admin)

    membership.refresh_from_db()
    assert membership.role == MembershipRole.ADMIN


def test_decisions_are_recorded_in_the_membership_history(org_admin, organisation):
    membership = services.request_membership(UserFactory(), organisation)

    services.decline_membership(membership, org_admin)
    services.request_membership(membership.user, organisation)
    services.approve_membership(membership, org_admin)

    assert list(membership.transitions.values_list("from_state", "to_state", "actor")) == [
        ("pending", "declined", org_admin.pk),
        ("declined", "pending", membership.user.pk),
        ("pending", "active", org_admin.pk),
    ]
