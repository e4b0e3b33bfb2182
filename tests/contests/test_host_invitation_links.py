"""An approved host administrator invites a colleague by e-mail: a signed, expiring,
single-use link goes out through the outbox; a person without an account registers with the
invited address fixed and lands on the unit's staff; the administrator may revoke the link
before use; expired, used, revoked or foreign links are refused with a page that says why."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.enums import RoleCode
from audit.models import ActivityLog
from contests import registration
from contests.models import HostInvitation, HostMembership
from notifications.models import Notification, OutboundEmail
from tests.contests.conftest import sign_in
from tests.factories.accounts import UserFactory

NEW_EMAIL = "new.colleague@xian.gov.cn"
PASSWORD = "Qiao-mountain-river-2026"


@pytest.fixture
def admin(host_unit):
    user = UserFactory(email="admin@xian.gov.cn", full_name="王主任")
    HostMembership.objects.create(user=user, host_unit=host_unit, is_admin=True)
    return user


def _invite(host_unit, admin, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return registration.invite(host_unit, actor=admin, email=email)


def _link_in_mail(email):
    mail = OutboundEmail.objects.filter(to_address=email).order_by("-pk").first()
    assert mail is not None, f"no e-mail to {email}"
    return mail, re.search(r"https?://\S+(/host-registration/join/\S+/)", mail.body).group(1)


def _signup(client, path, **extra):
    data = {"email": "someone.else@evil.cn", "full_name": "李新同事", "mobile": "13800138000",
            "password1": PASSWORD, "password2": PASSWORD, "consent": "on", **extra}
    return client.post(path, data)


def _actions():
    return list(ActivityLog.objects.filter(action__startswith="portal.host_staff.")
                .order_by("pk").values_list("action", flat=True))


def test_a_person_without_an_account_registers_from_the_link_and_joins_the_staff(
        client, host_unit, admin, django_capture_on_commit_callbacks):
    invitation = _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    mail, path = _link_in_mail(NEW_EMAIL)
    assert host_unit.name in mail.subject and mail.recipient is None
    assert invitation.expires_at > timezone.now() + timedelta(days=13)

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert NEW_EMAIL in html and re.search(r'<input[^>]*name="email"[^>]*disabled', html)

    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, path)  # a different address posted is ignored
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(email=NEW_EMAIL)
    assert not get_user_model().objects.filter(email="someone.else@evil.cn").exists()
    assert EmailAddress.objects.get(user=user).verified  # the link proved the address
    membership = HostMembership.objects.get(user=user, host_unit=host_unit)
    assert not membership.is_admin
    assert RoleCode.HOST_ORGANISER in user.role_codes()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert _actions() == ["portal.host_staff.invited", "portal.host_staff.joined"]
    assert Notification.objects.filter(recipient=admin, kind="host.staff").exists()

    # Single use: the same link again, signed out, is refused with a page saying so.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410 and "used already" in again.content.decode()


def test_an_expired_link_is_refused(client, host_unit, admin,
                                    django_capture_on_commit_callbacks):
    invitation = _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    _mail, path = _link_in_mail(NEW_EMAIL)
    HostInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert _signup(client, path).status_code == 410
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()


def test_a_revoked_link_is_refused_and_the_revocation_audited(
        client, host_unit, admin, host_organiser, django_capture_on_commit_callbacks):
    invitation = _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    _mail, path = _link_in_mail(NEW_EMAIL)
    revoke = f"/organiser/{host_unit.slug}/invitations/{invitation.pk}/revoke/"
    sign_in(client, host_organiser)  # staff, not the administrator
    assert client.post(revoke).status_code == 404
    sign_in(client, admin)
    page = client.get(f"/organiser/{host_unit.slug}/colleagues/").content.decode()
    assert NEW_EMAIL in page and revoke in page
    assert client.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == admin
    client.logout()
    response = client.get(path)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    assert _signup(client, path).status_code == 410
    assert _actions() == ["portal.host_staff.invited", "portal.host_staff.invitation_revoked"]
    # Revoked: it may be sent again, with a new link.
    _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    _mail, fresh = _link_in_mail(NEW_EMAIL)
    assert fresh != path and client.get(fresh).status_code == 200


def test_another_address_cannot_use_the_link(client, host_unit, admin, stranger,
                                             django_capture_on_commit_callbacks):
    invitation = _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    _mail, path = _link_in_mail(NEW_EMAIL)
    client.force_login(stranger)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        assert "another e-mail address" in response.content.decode()
    assert not HostMembership.objects.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    with pytest.raises(registration.InvitationRefused):
        registration.accept(invitation, user=stranger)


def test_a_tampered_or_replaced_link_is_not_valid(client, host_unit, admin,
                                                  django_capture_on_commit_callbacks):
    _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    _mail, path = _link_in_mail(NEW_EMAIL)
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get("/host-registration/join/nonsense/").status_code == 404
    # Inviting again sends a fresh link; the old one stops working.
    _invite(host_unit, admin, NEW_EMAIL, django_capture_on_commit_callbacks)
    _mail, fresh = _link_in_mail(NEW_EMAIL)
    assert fresh != path
    assert client.get(path).status_code == 404
    assert client.get(fresh).status_code == 200
    assert HostInvitation.objects.filter(email=NEW_EMAIL).count() == 1


def test_an_existing_account_accepts_from_its_inbox_link_or_its_page(
        client, host_unit, admin, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="colleague@xian.gov.cn")
    invitation = _invite(host_unit, admin, "Colleague@xian.gov.cn",
                         django_capture_on_commit_callbacks)
    note = Notification.objects.get(recipient=colleague, kind="host.staff")
    assert note.url.startswith("/host-registration/join/")
    assert not OutboundEmail.objects.filter(to_address="colleague@xian.gov.cn",
                                            recipient=None).exists()
    # Signed out, the link asks to sign in (no second account for the address).
    page = client.get(note.url)
    assert page.status_code == 200 and "/accounts/login/" in page.content.decode()
    client.force_login(colleague)
    assert client.get(note.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(note.url).status_code == 302
    assert HostMembership.objects.filter(user=colleague, host_unit=host_unit).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_existing_account_still_accepts_from_the_registration_page(
        client, host_unit, admin, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="colleague@xian.gov.cn")
    invitation = _invite(host_unit, admin, colleague.email, django_capture_on_commit_callbacks)
    client.force_login(colleague)
    assert f"/host-registration/invitations/{invitation.pk}/accept/" in client.get(
        "/host-registration/").content.decode()
    assert client.post(f"/host-registration/invitations/{invitation.pk}/accept/"
                       ).status_code == 302
    assert HostMembership.objects.filter(user=colleague, host_unit=host_unit).exists()


def test_an_expired_or_revoked_invitation_is_not_offered_on_the_registration_page(
        client, host_unit, admin, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="colleague@xian.gov.cn")
    invitation = _invite(host_unit, admin, colleague.email, django_capture_on_commit_callbacks)
    HostInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(colleague)
    assert client.post(f"/host-registration/invitations/{invitation.pk}/accept/"
                       ).status_code == 404
    assert not HostMembership.objects.filter(user=colleague).exists()
