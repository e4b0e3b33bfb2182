"""The outbox in admin: Torch staff see failures with their error and can send again."""

import pytest
from django.urls import reverse

from audit.models import ActivityLog
from notifications.enums import EmailState
from tests.factories.accounts import UserFactory
from tests.factories.notifications import NotificationFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notifications_outboundemail_changelist"


@pytest.fixture
def failed_email():
    return OutboundEmailFactory(state=EmailState.FAILED, attempts=8,
                                to_address="li.lei@example.cn",
                                last_error="SMTPServerDisconnected: Connection unexpectedly closed")


def test_failed_filter_shows_error_and_attempts_to_torch_staff(torch_client, failed_email):
    OutboundEmailFactory(state=EmailState.SENT, to_address="sent@example.cn")

    response = torch_client.get(reverse(CHANGELIST), {"state__exact": "failed"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "li.lei@example.cn" in content
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in content
    assert '<td class="field-attempts">8</td>' in content
    assert "sent@example.cn" not in content


def test_outbox_detail_is_read_only(torch_client, failed_email):
    url = reverse("admin:notifications_outboundemail_change", args=[failed_email.pk])

    page = torch_client.get(url)
    post = torch_client.post(url, {"state": "sent"})

    failed_email.refresh_from_db()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert post.status_code == 403
    assert failed_email.state == EmailState.FAILED


def test_retry_action_requeues_only_failed(torch_client, torch_staff, failed_email, mailoutbox,
                                           django_capture_on_commit_callbacks):
    sent = OutboundEmailFactory(state=EmailState.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = torch_client.post(reverse(CHANGELIST), {
            "action": "retry", "_selected_action": [failed_email.pk, sent.pk]}, follow=True,
            HTTP_ACCEPT_LANGUAGE="en")

    failed_email.refresh_from_db()
    sent.refresh_from_db()
    assert "1 failed e-mail will be sent again." in response.content.decode()
    assert failed_email.state == EmailState.SENT  # eager relay after commit
    assert failed_email.last_error == ""
    assert sent.state == EmailState.SENT
    assert [m.to for m in mailoutbox] == [["li.lei@example.cn"]]
    entry = ActivityLog.objects.get(action="portal.notifications.email_retry")
    assert (entry.actor, entry.from_state, entry.to_state) == (torch_staff, "failed", "pending")
    assert entry.object_id == str(failed_email.pk)


@pytest.mark.parametrize("persona", ["host_organiser", "stranger"])
def test_outbox_admin_refused_to_others(client, request, with_totp, persona, failed_email):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client.force_login(with_totp(user))

    changelist = client.get(reverse(CHANGELIST))
    retry = client.post(reverse(CHANGELIST), {"action": "retry",
                                              "_selected_action": [failed_email.pk]})
    index = client.get(reverse("admin:index"))

    failed_email.refresh_from_db()
    assert changelist.status_code == 403
    assert retry.status_code == 403
    assert failed_email.state == EmailState.FAILED
    assert "notifications_outboundemail" not in index.content.decode()


def test_superuser_sees_notifications_admin(client, with_totp):
    admin_user = with_totp(UserFactory(is_staff=True, is_superuser=True))
    NotificationFactory(text="您的需求已发布")
    client.force_login(admin_user)

    response = client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 200
    assert "您的需求已发布" in response.content.decode()
