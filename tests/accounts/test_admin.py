import pytest
from django.urls import reverse

from accounts.enums import MembershipState
from accounts.models import Agreement, Membership, Organisation, User
from tests.factories.accounts import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

ORG_CHANGELIST = reverse("admin:accounts_organisation_changelist")


def tie(organisation, host_organiser):
    """Gives the organisation a submitted demand at the host organiser's unit: the tie that
    lets a host organiser see and verify it in admin."""
    from tests.factories.demands import DemandFactory

    unit = host_organiser.host_memberships.get().host_unit
    DemandFactory(organisation=organisation, host_unit=unit, status="submitted")
    return organisation


def org_change_data(organisation, **overrides):
    data = {
        "name": organisation.name, "kind": organisation.kind,
        "credit_code": organisation.credit_code or "", "region": organisation.region,
        "address": organisation.address,
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


# --- users ------------------------------------------------------------------------------------
def test_host_organiser_cannot_view_or_change_users(client, login_as, host_organiser):
    target = UserFactory(full_name="原名")
    login_as(host_organiser)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]),
                           {"email": target.email, "full_name": "篡改"})

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.full_name == "原名"


def test_host_organiser_admin_index_shows_organisations_only(client, login_as,
                                                             host_organiser):
    login_as(host_organiser)

    response = client.get(reverse("admin:index"))

    models = {model["object_name"] for app in response.context["app_list"]
              if app["app_label"] == "accounts" for model in app["models"]}
    assert models == {"Organisation"}


def test_torch_staff_grants_host_organiser_role_in_admin_and_user_becomes_staff(
        client, login_as, torch_staff):
    from accounts.models import Role

    target = UserFactory(full_name="李主任")
    login_as(torch_staff)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk]))
    assert page.status_code == 200
    assert "username" not in page.context["adminform"].form.fields

    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), {
        "email": target.email, "full_name": "李主任", "mobile": "13800138000",
        "language": "zh-hans", "is_active": "on",
        "roles": [Role.objects.get(code="host_organiser").pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    })

    assert response.status_code == 302, response.context["adminform"].form.errors
    target = User.objects.get(pk=target.pk)
    assert target.role_codes() == {"host_organiser"}
    assert target.is_staff is True


def test_torch_staff_creates_user_without_username(client, login_as, torch_staff):
    login_as(torch_staff)

    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "new.expert@example.cn", "usable_password": "true",
        "password1": "Expert-Pass-2026", "password2": "Expert-Pass-2026"})

    assert response.status_code == 302
    assert User.objects.filter(email="new.expert@example.cn").exists()


def test_plain_user_cannot_enter_admin(client, login_as, challenger):
    login_as(challenger)

    response = client.get(reverse("admin:accounts_organisation_changelist"))

    assert response.status_code == 302
    assert "login" in response["Location"]


# --- organisations ----------------------------------------------------------------------------
def test_host_organiser_sees_and_searches_organisations(client, login_as, host_organiser):
    wanted = tie(OrganisationFactory(name="西安光机科技有限公司",
                                     credit_code="91110108551385082Q"), host_organiser)
    tie(OrganisationFactory(name="其他公司"), host_organiser)
    login_as(host_organiser)

    by_name = client.get(ORG_CHANGELIST, {"q": "光机"})
    by_code = client.get(ORG_CHANGELIST, {"q": "91110108551385082Q"})

    assert [o.pk for o in by_name.context["cl"].result_list] == [wanted.pk]
    assert [o.pk for o in by_code.context["cl"].result_list] == [wanted.pk]


def test_host_organiser_verifies_via_action(client, login_as, host_organiser):
    organisation = tie(OrganisationFactory(verified=False), host_organiser)
    login_as(host_organiser)

    response = client.post(ORG_CHANGELIST, {"action": "verify",
                                            "_selected_action": [organisation.pk]})

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified is True
    assert organisation.verified_by == host_organiser
    assert organisation.verified_at is not None


def test_host_organiser_cannot_change_organisation(client, login_as, host_organiser):
    organisation = tie(OrganisationFactory(name="原名称"), host_organiser)
    login_as(host_organiser)

    response = client.post(reverse("admin:accounts_organisation_change",
                                   args=[organisation.pk]),
                           org_change_data(organisation, name="篡改名称"))

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "原名称"


def test_host_organiser_cannot_unverify_or_delete(client, login_as, host_organiser):
    organisation = tie(OrganisationFactory(verified=True), host_organiser)
    login_as(host_organiser)

    actions = client.get(ORG_CHANGELIST).context["action_form"].fields["action"].choices
    names = {name for name, _label in actions}
    assert "verify" in names
    assert "unverify" not in names and "delete_selected" not in names
    client.post(ORG_CHANGELIST, {"action": "unverify", "_selected_action": [organisation.pk]})

    organisation.refresh_from_db()
    assert organisation.verified is True


def test_challenger_cannot_verify_via_service(challenger):
    from django.core.exceptions import PermissionDenied

    from accounts import services

    organisation = OrganisationFactory(verified=False)
    with pytest.raises(PermissionDenied):
        services.verify_organisation(organisation, challenger)
    organisation.refresh_from_db()
    assert organisation.verified is False


def test_torch_staff_accepts_checksum_failing_code_with_override(client, login_as, torch_staff):
    organisation = OrganisationFactory(name="福建试点企业", credit_code=None, kind="team",
                                       region="350200")
    login_as(torch_staff)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])

    refused = client.post(url, org_change_data(organisation, kind="enterprise",
                                                credit_code="91350211M0000XUF46"))
    assert refused.status_code == 200
    assert "credit_code" in refused.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.credit_code is None

    accepted = client.post(url, org_change_data(organisation, kind="enterprise",
                                                 credit_code="91350211M0000XUF46",
                                                 credit_code_override="on"))

    assert accepted.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.credit_code, organisation.credit_code_override) == (
        "91350211M0000XUF46", True)


def test_override_is_not_offered_on_the_portal_form(client, login_as, db):
    login_as(UserFactory())

    response = client.post(reverse("accounts:organisation_create"), {
        "name": "福建试点企业", "kind": "enterprise", "credit_code": "91350211M0000XUF46",
        "credit_code_override": "on", "region": "350200"})

    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_torch_staff_admin_duplicate_code_refused(client, login_as, torch_staff):
    OrganisationFactory(credit_code="91110000600037341L")
    organisation = OrganisationFactory()
    login_as(torch_staff)

    response = client.post(reverse("admin:accounts_organisation_change",
                                   args=[organisation.pk]),
                           org_change_data(organisation, credit_code="91110000600037341L"))

    assert response.status_code == 200
    assert "credit_code" in response.context["adminform"].form.errors


# --- memberships and agreements ---------------------------------------------------------------
def test_torch_staff_approves_membership_in_admin(client, login_as, torch_staff):
    membership = MembershipFactory(state="pending", role="member")
    login_as(torch_staff)

    client.post(reverse("admin:accounts_membership_changelist"),
                {"action": "approve", "_selected_action": [membership.pk]})

    membership.refresh_from_db()
    assert (membership.state, membership.decided_by) == (MembershipState.ACTIVE, torch_staff)


def test_host_organiser_cannot_see_memberships_or_agreements(client, login_as, host_organiser):
    login_as(host_organiser)

    assert client.get(reverse("admin:accounts_membership_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_agreement_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_agreementsignature_changelist")
                      ).status_code == 403


def test_torch_staff_adds_agreement_version_and_publishes(client, login_as, torch_staff,
                                                          contest):
    AgreementFactory(scope=contest, kind="nda", version=1)
    login_as(torch_staff)

    response = client.post(reverse("admin:accounts_agreement_add"), {
        "applies_to": contest.pk, "kind": "nda", "title": "保密协议（第2版）",
        "body": "修订后的保密条款。"})
    assert response.status_code == 302
    draft = Agreement.objects.get(title="保密协议（第2版）")
    assert (draft.version, draft.published_at) == (2, None)

    client.post(reverse("admin:accounts_agreement_changelist"),
                {"action": "publish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.published_at is not None
    assert draft.published_by == torch_staff


def test_published_agreement_text_cannot_be_changed_in_admin(client, login_as, torch_staff,
                                                             contest):
    agreement = AgreementFactory(scope=contest, kind="nda", version=1, body="原文")
    login_as(torch_staff)

    response = client.post(reverse("admin:accounts_agreement_change", args=[agreement.pk]),
                           {"title": "新标题", "body": "篡改"})

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.body == "原文"


def test_signatures_are_read_only_in_admin(client, login_as, torch_staff, contest):
    from accounts.models import AgreementSignature

    agreement = AgreementFactory(scope=contest)
    signature = AgreementSignature.objects.create(user=UserFactory(), agreement=agreement,
                                                  text_hash=agreement.text_hash)
    login_as(torch_staff)

    assert client.get(reverse("admin:accounts_agreementsignature_change",
                              args=[signature.pk])).status_code == 200
    response = client.post(reverse("admin:accounts_agreementsignature_delete",
                                   args=[signature.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert AgreementSignature.objects.filter(pk=signature.pk).exists()


def test_membership_inline_count_does_not_leak_to_host_organiser(client, login_as,
                                                                 host_organiser):
    organisation = tie(OrganisationFactory(), host_organiser)
    MembershipFactory(organisation=organisation, user=UserFactory(email="secret@example.cn"))
    login_as(host_organiser)

    response = client.get(reverse("admin:accounts_organisation_change", args=[organisation.pk]))

    assert response.status_code == 200
    assert "secret@example.cn" not in response.content.decode()
    assert Membership.objects.filter(organisation=organisation).count() == 1
