"""Host registration (seed A2): a registered person applies to join a host unit with its
authorisation letter (private), Torch staff approve or decline, the approved administrator
invites colleagues and removes them. Every step audited and notified."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from accounts.enums import RoleCode
from audit.models import ActivityLog
from common.errors import DomainError
from contests import registration
from contests.enums import HostApplicationState
from contests.models import HostApplication, HostInvitation, HostMembership
from notifications.models import Notification
from tests.demands.public_support import *  # noqa: F403
from tests.factories.accounts import UserFactory

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
       b"/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 3 3]/Parent 2 0 R>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def letter():
    return SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")


def _actions():
    return list(ActivityLog.objects.filter(action__startswith="portal.host_")
                .order_by("pk").values_list("action", flat=True))


def test_the_whole_journey(client, host_unit, torch_staff, stranger):
    applicant = UserFactory(email="applicant@xian.gov.cn")
    colleague = UserFactory(email="colleague@xian.gov.cn")

    client.force_login(applicant)
    response = client.post("/host-registration/", {
        "host_unit": host_unit.pk, "position": "科技局副局长", "letter": letter(),
        "message": "请审核"})
    assert response.status_code == 302
    application = HostApplication.objects.get()
    assert application.state == HostApplicationState.PENDING
    assert Notification.objects.filter(recipient=torch_staff, kind="host.application").exists()

    # The letter is private: the applicant and Torch staff may open it, nobody else.
    key = application_letter_key(application)
    assert client.get(f"/files/{key}/").status_code == 200
    client.force_login(stranger)
    assert client.get(f"/files/{key}/").status_code == 404
    assert client.get(f"/torch/host-applications/{application.pk}/").status_code == 404

    client.force_login(torch_staff)
    page = client.get(f"/torch/host-applications/{application.pk}/")
    assert page.status_code == 200 and f"/files/{key}/" in page.content.decode()
    assert client.get(f"/files/{key}/").status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/torch/host-applications/{application.pk}/",
                               {"decision": "approve", "reason": "授权书属实"})
    assert response.status_code == 302
    membership = HostMembership.objects.get(user=applicant, host_unit=host_unit)
    assert membership.is_admin
    applicant = type(applicant).objects.get(pk=applicant.pk)
    assert RoleCode.HOST_ORGANISER in applicant.role_codes() and applicant.is_staff
    assert Notification.objects.filter(recipient=applicant, kind="host.application").exists()

    client.force_login(applicant)
    assert client.post(f"/organiser/{host_unit.slug}/colleagues/",
                       {"email": "not an address"}).status_code == 400
    response = client.post(f"/organiser/{host_unit.slug}/colleagues/",
                           {"email": "Colleague@xian.gov.cn"})
    assert response.status_code == 302
    invitation = HostInvitation.objects.get()
    assert Notification.objects.filter(recipient=colleague, kind="host.staff").exists()

    client.force_login(stranger)
    assert client.post(f"/host-registration/invitations/{invitation.pk}/accept/").status_code == 404
    client.force_login(colleague)
    assert client.post(f"/host-registration/invitations/{invitation.pk}/accept/").status_code == 302
    joined = HostMembership.objects.get(user=colleague, host_unit=host_unit)
    assert not joined.is_admin
    colleague = type(colleague).objects.get(pk=colleague.pk)
    client.force_login(colleague)  # now host staff: signed in with the authenticator app
    assert client.get(f"/organiser/{host_unit.slug}/colleagues/").status_code == 404

    client.force_login(applicant)
    response = client.post(f"/organiser/{host_unit.slug}/colleagues/{joined.pk}/remove/")
    assert response.status_code == 302
    assert not HostMembership.objects.filter(user=colleague).exists()
    colleague = type(colleague).objects.get(pk=colleague.pk)
    assert RoleCode.HOST_ORGANISER not in colleague.role_codes()
    assert _actions() == ["portal.host_application.submitted", "portal.host_application.approved",
                          "portal.host_staff.invited", "portal.host_staff.joined",
                          "portal.host_staff.removed"]


def application_letter_key(application):
    from files.selectors import files_for_object

    return files_for_object(application).get().uuid


def test_decline_needs_a_reason_and_tells_the_applicant(host_unit, torch_staff):
    applicant = UserFactory()
    application = registration.apply(applicant, host_unit=host_unit, position="干部",
                                     letter=letter())
    with pytest.raises(DomainError):
        registration.decline(application, actor=torch_staff, reason=" ")
    with TestCase.captureOnCommitCallbacks(execute=True):
        registration.decline(application, actor=torch_staff, reason="授权书无公章")
    application.refresh_from_db()
    assert application.state == HostApplicationState.DECLINED
    assert application.decided_by == torch_staff
    assert not HostMembership.objects.filter(user=applicant).exists()
    text = Notification.objects.get(recipient=applicant, kind="host.application").text
    assert "授权书无公章" in text
    assert application.transitions.get().to_state == HostApplicationState.DECLINED


def test_only_torch_staff_decide_and_only_once(host_unit, torch_staff, host_organiser):
    application = registration.apply(UserFactory(), host_unit=host_unit, position="干部",
                                     letter=letter())
    with pytest.raises(DomainError):
        registration.approve(application, actor=host_organiser)
    registration.approve(application, actor=torch_staff)
    with pytest.raises(DomainError):
        registration.decline(application, actor=torch_staff, reason="晚了")


def test_one_pending_application_per_unit_and_no_application_when_on_staff(host_unit,
                                                                          host_organiser):
    applicant = UserFactory()
    registration.apply(applicant, host_unit=host_unit, position="干部", letter=letter())
    with pytest.raises(DomainError):
        registration.apply(applicant, host_unit=host_unit, position="干部", letter=letter())
    with pytest.raises(DomainError):
        registration.apply(host_organiser, host_unit=host_unit, position="干部",
                           letter=letter())


def test_a_form_with_errors_keeps_what_was_typed(client, stranger, host_unit):
    client.force_login(stranger)
    response = client.post("/host-registration/", {"host_unit": host_unit.pk,
                                                    "position": "科技局干部"})
    assert response.status_code == 400
    assert "科技局干部" in response.content.decode()


def test_an_administrator_cannot_remove_themselves_nor_act_for_another_unit(
        host_unit, other_host_unit):
    admin = UserFactory()
    membership = HostMembership.objects.create(user=admin, host_unit=host_unit, is_admin=True)
    with pytest.raises(DomainError):
        registration.remove(membership, actor=admin)
    with pytest.raises(DomainError):
        registration.invite(other_host_unit, actor=admin, email=UserFactory().email)


def test_the_demo_seed_is_idempotent(settings, db):
    from django.core.management import call_command

    from tests.factories.contests import HostUnitFactory

    settings.DEBUG = True
    HostUnitFactory(name="深圳市科技创新局")
    call_command("seed_demo_hosts", stdout=__import__("io").StringIO())
    call_command("seed_demo_hosts", stdout=__import__("io").StringIO())
    assert HostApplication.objects.filter(user__email="host.applicant@demo.cn").count() == 1
