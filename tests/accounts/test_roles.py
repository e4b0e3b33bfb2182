import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts import permissions, services
from accounts.enums import RoleCode
from accounts.exceptions import AccountsError
from audit.models import ActivityLog
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory


def fresh(user):
    user.refresh_from_db()
    user.__dict__.pop("_role_codes", None)
    return user


@pytest.mark.parametrize("code", ["host_organiser", "torch_staff"])
def test_grant_admin_role_makes_user_staff(db, code):
    user = UserFactory()

    services.grant_role(user, code)

    user = fresh(user)
    assert code in user.role_codes()
    assert user.is_staff is True


@pytest.mark.parametrize("code", ["demand_company", "challenger", "expert", "service_agency"])
def test_grant_portal_role_does_not_make_user_staff(db, code):
    user = UserFactory()

    services.grant_role(user, code)

    assert fresh(user).is_staff is False


def test_revoke_last_admin_role_removes_staff_flag(db):
    user = UserFactory()
    services.grant_role(user, "host_organiser")
    services.grant_role(user, "torch_staff")

    services.revoke_role(user, "host_organiser")
    assert fresh(user).is_staff is True
    services.revoke_role(user, "torch_staff")

    assert fresh(user).is_staff is False
    assert fresh(user).role_codes() == frozenset()


def test_revoke_admin_role_keeps_superuser_staff(db):
    user = UserFactory(is_superuser=True, is_staff=True, roles=["torch_staff"])

    services.revoke_role(user, "torch_staff")

    assert fresh(user).is_staff is True


def test_grant_role_is_logged_once(db, torch_staff):
    user = UserFactory()

    services.grant_role(user, "expert", actor=torch_staff)
    services.grant_role(user, "expert", actor=torch_staff)

    entries = ActivityLog.objects.filter(action="portal.account.role_grant")
    assert [(e.actor, e.data["role"]) for e in entries] == [(torch_staff, "expert")]


def test_grant_unknown_role_refused(db):
    with pytest.raises(AccountsError):
        services.grant_role(UserFactory(), "president")


def test_self_service_roles_set_and_unset(db):
    user = UserFactory(roles=["expert"])

    services.set_self_service_roles(user, ["demand_company", "challenger"])
    assert fresh(user).role_codes() == {"demand_company", "challenger", "expert"}

    services.set_self_service_roles(user, ["challenger"])
    assert fresh(user).role_codes() == {"challenger", "expert"}


@pytest.mark.parametrize("code", ["expert", "service_agency", "host_organiser", "torch_staff"])
def test_self_service_cannot_take_staff_granted_roles(db, code):
    user = UserFactory()

    with pytest.raises(AccountsError):
        services.set_self_service_roles(user, [code])
    assert fresh(user).role_codes() == frozenset()


def test_roles_page_offers_only_self_service_roles_and_saves(client, login_as, db):
    user = UserFactory()
    login_as(user)
    html = client.get(reverse("accounts:roles")).content.decode()
    assert 'value="demand_company"' in html and 'value="challenger"' in html
    assert 'value="torch_staff"' not in html and 'value="expert"' not in html

    response = client.post(reverse("accounts:roles"), {"roles": ["challenger"]})

    assert response.status_code == 302
    assert fresh(user).role_codes() == {"challenger"}


def test_roles_page_posting_a_staff_role_is_refused(client, login_as, db):
    user = UserFactory()
    login_as(user)

    response = client.post(reverse("accounts:roles"), {"roles": ["torch_staff"]})

    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert fresh(user).role_codes() == frozenset()
    assert fresh(user).is_staff is False


# --- predicates -------------------------------------------------------------------------------
ROLE_PREDICATES = {
    "demand_company": permissions.is_demand_company,
    "challenger": permissions.is_challenger,
    "expert": permissions.is_expert,
    "service_agency": permissions.is_service_agency,
    "host_organiser": permissions.is_host_organiser,
    "torch_staff": permissions.is_torch_staff,
}


@pytest.mark.parametrize("held", [code.value for code in RoleCode])
def test_role_predicates_true_only_for_held_role(db, held):
    user = UserFactory(roles=[held])

    results = {code: predicate(user) for code, predicate in ROLE_PREDICATES.items()}

    assert results == {code: code == held for code in ROLE_PREDICATES}


def test_role_predicates_false_for_anonymous_and_inactive(db):
    inactive = UserFactory(roles=list(ROLE_PREDICATES), is_active=False)

    for predicate in ROLE_PREDICATES.values():
        assert predicate(AnonymousUser()) is False
        assert predicate(inactive) is False


def test_superuser_counts_as_torch_staff(db):
    assert permissions.is_torch_staff(UserFactory(is_superuser=True)) is True


@pytest.mark.parametrize(("role", "state", "member", "admin"), [
    ("admin", "active", True, True),
    ("member", "active", True, False),
    ("admin", "pending", False, False),
    ("member", "pending", False, False),
    ("admin", "declined", False, False),
    ("member", "declined", False, False),
])
def test_org_predicates_over_every_membership_state(db, role, state, member, admin):
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation, role=role, state=state).user

    assert permissions.is_org_member(user, organisation) is member
    assert permissions.is_org_admin(user, organisation) is admin


def test_org_predicates_false_for_other_organisation_and_anonymous(db):
    user = MembershipFactory(role="admin").user
    other = OrganisationFactory()

    assert permissions.is_org_member(user, other) is False
    assert permissions.is_org_admin(user, other) is False
    assert permissions.is_org_member(AnonymousUser(), other) is False
    assert permissions.is_org_admin(user, None) is False


def test_org_predicates_answer_a_whole_list_in_one_query(db, django_assert_num_queries):
    user = UserFactory()
    organisations = [MembershipFactory(user=user).organisation for _ in range(3)]
    user = fresh(user)

    with django_assert_num_queries(1):
        assert all(permissions.is_org_admin(user, org) for org in organisations)
        assert all(permissions.is_org_member(user, org) for org in organisations)


def test_verify_permission_for_tied_host_organiser_and_torch_only(db, host_organiser, host_unit,
                                                                  torch_staff, challenger,
                                                                  stranger):
    from tests.factories.demands import DemandFactory

    organisation = OrganisationFactory()
    DemandFactory(organisation=organisation, host_unit=host_unit, status="submitted")

    assert host_organiser.has_perm("accounts.verify_organisation", organisation)
    assert torch_staff.has_perm("accounts.verify_organisation", organisation)
    assert not challenger.has_perm("accounts.verify_organisation", organisation)
    assert not stranger.has_perm("accounts.verify_organisation", organisation)
