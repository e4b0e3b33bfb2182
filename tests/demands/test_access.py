"""Access to hidden details: asking (NDA and disclaimer first), deciding (owner's administrators
and host staff only), the full view for granted challengers (404 for everyone else), masked
contacts without consent, the view log, messages through the portal."""

import pytest
from django.urls import reverse

from accounts.models import AgreementSignature
from audit.models import ActivityLog
from demands.enums import AccessState, DemandStatus
from demands.models import AccessRequest, HiddenDetailView
from demands.services import access
from demands.services.access import AccessError
from notifications.models import Notification
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.accounts import (
    AgreementFactory,
    MembershipFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
EMAIL = "zhang.contact@example.com"


@pytest.fixture
def demand(host_unit, owner_org, demand_owner):
    return publish(DemandFactory(
        host_unit=host_unit, organisation=owner_org, created_by=demand_owner,
        status=DemandStatus.PUBLISHED, contact_mobile=MOBILE, contact_email=EMAIL,
        contact_landline="029-55501234", contact_consents_sharing=False,
        hidden_fields=["organisation", "phone", "email", "budget"],
    ))


@pytest.fixture
def signed_challenger(challenger, host_unit):
    sign_current_agreements(challenger, host_unit.event.contest)
    return challenger


@pytest.fixture
def granted(demand, signed_challenger, demand_owner):
    request = access.request_access(demand, user=signed_challenger)
    access.grant_access(request, actor=demand_owner)
    return signed_challenger


def _state(demand, user):
    return AccessRequest.objects.get(demand=demand, user=user).state


def _actions(demand, name):
    return list(ActivityLog.objects.filter(action=name, object_id=str(demand.pk)))


# --- asking -----------------------------------------------------------------------------------
def test_request_page_sends_an_unsigned_challenger_to_sign_first(client, demand, challenger):
    client.force_login(challenger)

    response = client.get(reverse("demands:access_request", kwargs={"ref": demand.ref}))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:agreements_sign"))
    assert not AccessRequest.objects.exists()


def test_request_service_refuses_without_the_disclaimer(demand, challenger, host_unit):
    sign_current_agreements(challenger, host_unit.event.contest, kinds=("nda",))
    AgreementFactory(scope=host_unit.event.contest, kind="disclaimer")

    with pytest.raises(AccessError):
        access.request_access(demand, user=challenger)
    assert not AccessRequest.objects.exists()


def test_request_refuses_after_a_new_nda_version(demand, signed_challenger, host_unit):
    AgreementFactory(scope=host_unit.event.contest, kind="nda")

    with pytest.raises(AccessError):
        access.request_access(demand, user=signed_challenger)


def test_signed_challenger_asks_and_owner_admins_are_notified(client, demand, signed_challenger,
                                                              demand_owner):
    client.force_login(signed_challenger)

    response = client.post(reverse("demands:access_request", kwargs={"ref": demand.ref}),
                           {"message": "我们有相关专利。"})

    assert response.status_code == 302
    request = AccessRequest.objects.get(demand=demand, user=signed_challenger)
    assert (request.state, request.message) == (AccessState.REQUESTED, "我们有相关专利。")
    assert len(_actions(demand, "portal.demand.access_requested")) == 1
    assert Notification.objects.filter(recipient=demand_owner,
                                       kind="demand.access_requested").count() == 1


def test_only_challengers_may_ask(demand, stranger, host_unit):
    sign_current_agreements(stranger, host_unit.event.contest)

    with pytest.raises(AccessError):
        access.request_access(demand, user=stranger)
    assert not AccessRequest.objects.exists()


def test_asking_twice_is_refused_and_after_decline_allowed(demand, signed_challenger,
                                                           demand_owner):
    request = access.request_access(demand, user=signed_challenger)
    with pytest.raises(AccessError):
        access.request_access(demand, user=signed_challenger)
    access.decline_access(request, actor=demand_owner)

    again = access.request_access(demand, user=signed_challenger, message="补充说明")

    assert again.pk == request.pk
    assert _state(demand, signed_challenger) == AccessState.REQUESTED
    assert Notification.objects.filter(kind="demand.access_requested").count() == 2


def test_closed_demand_takes_no_new_requests(demand, signed_challenger):
    demand.status = DemandStatus.CLOSED
    demand.save(update_fields=["status"])

    with pytest.raises(AccessError):
        access.request_access(demand, user=signed_challenger)


# --- deciding ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("decider", "decision", "state", "action"), [
    ("demand_owner", "grant", AccessState.GRANTED, "portal.demand.access_granted"),
    ("demand_owner", "decline", AccessState.DECLINED, "portal.demand.access_declined"),
    ("host_organiser", "grant", AccessState.GRANTED, "portal.demand.access_granted"),
    ("host_organiser", "decline", AccessState.DECLINED, "portal.demand.access_declined"),
])
def test_owner_admin_and_host_staff_decide(client, request, demand, signed_challenger, decider,
                                           decision, state, action):
    user = request.getfixturevalue(decider)
    asked = access.request_access(demand, user=signed_challenger)
    client.force_login(user)

    response = client.post(reverse("demands:access_decide",
                                   kwargs={"ref": demand.ref, "pk": asked.pk}),
                           {"decision": decision})

    assert response.status_code == 302
    assert _state(demand, signed_challenger) == state
    entries = _actions(demand, action)
    assert [(entry.actor_id, entry.to_state) for entry in entries] == [(user.pk, state)]
    assert Notification.objects.filter(recipient=signed_challenger,
                                       kind="demand.access_decided").count() == 1


@pytest.mark.parametrize("who", ["other_host_organiser", "stranger", "challenger", "expert",
                                 "member", "torch_staff"])
def test_others_cannot_decide(client, request, demand, signed_challenger, owner_org, who):
    if who == "member":
        user = MembershipFactory(organisation=owner_org, role="member").user
    else:
        user = request.getfixturevalue(who)
    asked = access.request_access(demand, user=signed_challenger)
    client.force_login(user)

    response = client.post(reverse("demands:access_decide",
                                   kwargs={"ref": demand.ref, "pk": asked.pk}),
                           {"decision": "grant"})

    assert response.status_code in (302, 404)
    assert _state(demand, signed_challenger) == AccessState.REQUESTED
    with pytest.raises(AccessError):
        access.grant_access(asked, actor=user)
    assert _state(demand, signed_challenger) == AccessState.REQUESTED


@pytest.mark.parametrize("who", ["other_host_organiser", "stranger", "challenger", "member"])
def test_access_page_is_404_for_others(client, request, demand, owner_org, who):
    if who == "member":
        user = MembershipFactory(organisation=owner_org, role="member").user
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("demands:access_manage", kwargs={"ref": demand.ref}))

    assert response.status_code == 404


def test_revoked_access_ends_the_full_view(client, demand, granted, demand_owner):
    asked = AccessRequest.objects.get(demand=demand, user=granted)
    access.revoke_access(asked, actor=demand_owner)
    client.force_login(granted)

    response = client.get(reverse("demands:full", kwargs={"ref": demand.ref}))

    # The explaining page, saying access was revoked; none of the hidden details.
    assert response.status_code == 200
    assert response.context["access_state"] == AccessState.REVOKED
    assert "details" not in response.context
    assert not HiddenDetailView.objects.exists()
    with pytest.raises(AccessError):
        access.request_access(demand, user=granted)


# --- the full view ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["stranger", "other_host_organiser",
                                 "host_organiser", "demand_owner", "torch_staff", "expert"])
def test_full_view_is_404_for_everyone_not_granted(client, request, demand, who):
    user = request.getfixturevalue(who)
    sign_current_agreements(user, demand.host_unit.event.contest)
    client.force_login(user)

    response = client.get(reverse("demands:full", kwargs={"ref": demand.ref}))

    assert response.status_code == 404
    assert not HiddenDetailView.objects.exists()


@pytest.mark.parametrize("state", [AccessState.REQUESTED, AccessState.DECLINED])
def test_full_view_is_404_before_a_grant(client, demand, signed_challenger, demand_owner,
                                         state):
    asked = access.request_access(demand, user=signed_challenger)
    if state == AccessState.DECLINED:
        access.decline_access(asked, actor=demand_owner)
    client.force_login(signed_challenger)

    # A challenger who may ask gets the page that explains the NDA, never the details.
    response = client.get(reverse("demands:full", kwargs={"ref": demand.ref}))
    assert response.status_code == 200
    assert "details" not in response.context and response.context["signed"]
    assert not HiddenDetailView.objects.exists()


def test_full_view_of_unpublished_demand_is_404(client, demand, granted):
    demand.status = DemandStatus.WITHDRAWN
    demand.save(update_fields=["status"])
    client.force_login(granted)

    assert client.get(reverse("demands:full", kwargs={"ref": demand.ref})).status_code == 404


def test_granted_challenger_sees_hidden_values_with_masked_contact(client, demand, granted):
    client.force_login(granted)

    page = client.get(reverse("demands:full", kwargs={"ref": demand.ref})).content.decode()

    assert demand.organisation.name in page
    assert "200" in page  # the hidden budget
    assert "139****5678" in page
    assert MOBILE not in page
    assert "z***@example.com" in page
    assert EMAIL not in page


def test_granted_challenger_sees_contact_with_consent(client, demand, granted):
    demand.contact_consents_sharing = True
    demand.save(update_fields=["contact_consents_sharing"])
    client.force_login(granted)

    page = client.get(reverse("demands:full", kwargs={"ref": demand.ref})).content.decode()

    assert MOBILE in page
    assert EMAIL in page


def test_full_view_asks_to_sign_a_new_nda_version_first(client, demand, granted, host_unit):
    AgreementFactory(scope=host_unit.event.contest, kind="nda")
    client.force_login(granted)

    response = client.get(reverse("demands:full", kwargs={"ref": demand.ref}))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:agreements_sign"))
    assert not HiddenDetailView.objects.exists()


def test_every_view_is_logged_with_the_nda_version(client, demand, granted):
    signed_nda = AgreementSignature.objects.get(user=granted, agreement__kind="nda").agreement
    client.force_login(granted)

    client.get(reverse("demands:full", kwargs={"ref": demand.ref}))
    client.get(reverse("demands:full", kwargs={"ref": demand.ref}))

    views = list(HiddenDetailView.objects.filter(demand=demand))
    assert [(view.user_id, view.nda_id) for view in views] == [(granted.pk, signed_nda.pk)] * 2
    entries = _actions(demand, "portal.demand.view_hidden")
    assert [entry.data["nda_version"] for entry in entries] == [signed_nda.version] * 2


@pytest.mark.parametrize("who", ["demand_owner", "host_organiser", "torch_staff"])
def test_owner_sees_who_opened_the_hidden_details(client, request, demand, granted, who):
    signed_nda = AgreementSignature.objects.get(user=granted, agreement__kind="nda").agreement
    client.force_login(granted)
    client.get(reverse("demands:full", kwargs={"ref": demand.ref}))
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("demands:access_manage", kwargs={"ref": demand.ref}))

    text = page.content.decode()
    assert page.status_code == 200
    assert granted.email in text
    assert f"{signed_nda.title} v{signed_nda.version}" in text
    assert list(page.context["views"]) == list(HiddenDetailView.objects.filter(demand=demand))


def test_detail_page_offers_the_right_action(client, demand, signed_challenger, demand_owner):
    url = demand.get_absolute_url()
    client.force_login(signed_challenger)
    before = client.get(url).content.decode()
    access.grant_access(access.request_access(demand, user=signed_challenger),
                        actor=demand_owner)
    after = client.get(url).content.decode()
    client.force_login(demand_owner)
    owner = client.get(url).content.decode()

    assert reverse("demands:access_request", kwargs={"ref": demand.ref}) in before
    assert reverse("demands:full", kwargs={"ref": demand.ref}) in after
    # Writing to the owner goes through the clarification threads (solutions app).
    assert reverse("solutions:questions", kwargs={"ref": demand.ref}) in after
    assert reverse("demands:access_manage", kwargs={"ref": demand.ref}) in owner


def test_access_predicates_over_every_state(demand, signed_challenger, demand_owner):
    from demands.permissions import is_granted_challenger

    asked = access.request_access(demand, user=signed_challenger)
    seen = {AccessState.REQUESTED: is_granted_challenger(signed_challenger, demand)}
    access.grant_access(asked, actor=demand_owner)
    seen[AccessState.GRANTED] = is_granted_challenger(signed_challenger, demand)
    access.revoke_access(asked, actor=demand_owner)
    seen[AccessState.REVOKED] = is_granted_challenger(signed_challenger, demand)
    other = UserFactory(roles=["challenger"])
    sign_current_agreements(other, demand.host_unit.event.contest)
    declined = access.request_access(demand, user=other)
    access.decline_access(declined, actor=demand_owner)
    seen[AccessState.DECLINED] = is_granted_challenger(other, demand)

    assert seen == {AccessState.REQUESTED: False, AccessState.GRANTED: True,
                    AccessState.REVOKED: False, AccessState.DECLINED: False}
