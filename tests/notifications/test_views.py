"""Inbox, header badge, mark read, preferences: each user sees and changes only their own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.enums import DeliveryMode
from notifications.forms import field_name
from notifications.kinds import KINDS
from notifications.models import Notification, NotificationPreference
from notifications.services import preferences_of
from tests.factories.accounts import UserFactory
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def preferences_post(**modes):
    """Every registered kind (other apps add theirs) at its default, then ``modes``."""
    data = {field_name(key): kind.default.value for key, kind in KINDS.items()}
    data.update({field_name(key.replace("__", ".")): mode for key, mode in modes.items()})
    return data


@pytest.fixture
def user_client(client, challenger):
    client.force_login(challenger)
    return client


def test_inbox_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_inbox_lists_own_notifications_only(user_client, challenger):
    NotificationFactory(recipient=challenger, text="您的需求已发布")
    NotificationFactory(text="别人的通知：需求已退回")

    response = user_client.get(reverse("notifications:inbox"))

    content = response.content.decode()
    assert "您的需求已发布" in content
    assert "别人的通知" not in content


def test_header_badge_shows_unread_count(user_client, challenger):
    NotificationFactory.create_batch(2, recipient=challenger)
    NotificationFactory(recipient=challenger, read_at=timezone.now())
    NotificationFactory()  # someone else's

    response = user_client.get(reverse("accounts:dashboard"))

    assert response.context["unread_notifications"] == 2
    assert '<span class="badge">2</span>' in response.content.decode()
    assert reverse("notifications:inbox") in response.content.decode()


def test_header_badge_caps_at_99(user_client, challenger):
    NotificationFactory.create_batch(100, recipient=challenger)

    response = user_client.get(reverse("notifications:inbox"))

    assert '<span class="badge">99+</span>' in response.content.decode()


def test_header_badge_absent_for_anonymous(client):
    response = client.get(reverse("home"))

    assert "unread_notifications" not in response.context
    assert 'id="unread-badge"' not in response.content.decode()


def test_mark_read_marks_own_notification(user_client, challenger):
    notification = NotificationFactory(recipient=challenger)

    response = user_client.post(reverse("notifications:mark_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 302
    assert notification.read_at is not None


def test_mark_read_of_other_users_notification_is_404_and_unchanged(user_client):
    other = NotificationFactory()

    response = user_client.post(reverse("notifications:mark_read", args=[other.pk]))

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.read_at is None


def test_mark_read_by_get_is_refused(user_client, challenger):
    notification = NotificationFactory(recipient=challenger)

    response = user_client.get(reverse("notifications:mark_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 405
    assert notification.read_at is None


def test_mark_read_htmx_returns_item_and_updated_badge(user_client, challenger):
    notification, _other = NotificationFactory.create_batch(2, recipient=challenger)

    response = user_client.post(reverse("notifications:mark_read", args=[notification.pk]),
                                HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in content
    assert "notification-unread" not in content
    assert 'id="unread-badge" hx-swap-oob="true"><span class="badge">1</span>' in content


def test_mark_read_next_to_other_site_goes_to_inbox(user_client, challenger):
    notification = NotificationFactory(recipient=challenger)

    response = user_client.post(reverse("notifications:mark_read", args=[notification.pk]),
                                {"next": "https://evil.example/"})

    assert response.url == reverse("notifications:inbox")


def test_mark_all_read_marks_only_own(user_client, challenger):
    NotificationFactory.create_batch(3, recipient=challenger)
    other = NotificationFactory()

    response = user_client.post(reverse("notifications:mark_all_read"),
                                {"next": reverse("notifications:inbox") + "?page=1"})

    other.refresh_from_db()
    assert response.url == reverse("notifications:inbox") + "?page=1"
    assert Notification.objects.filter(recipient=challenger, read_at__isnull=True).count() == 0
    assert other.read_at is None


@pytest.mark.parametrize("count", [1, 3])
def test_inbox_query_count_does_not_grow_with_rows(user_client, challenger, count,
                                                   django_assert_num_queries):
    NotificationFactory.create_batch(count, recipient=challenger)

    # user, roles with the unread count (header and badge), page count, page rows, and the
    # session's activity stamp (savepoint, update, release: IdleTimeoutMiddleware)
    with django_assert_num_queries(7):
        response = user_client.get(reverse("notifications:inbox"))

    assert len(response.context["notifications"]) == count


def test_inbox_paginates(user_client, challenger):
    NotificationFactory.create_batch(25, recipient=challenger)

    first = user_client.get(reverse("notifications:inbox"))
    second = user_client.get(reverse("notifications:inbox"), {"page": 2})
    nonsense = user_client.get(reverse("notifications:inbox"), {"page": "abc"})

    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 5
    assert nonsense.status_code == 200


# --- preferences ------------------------------------------------------------------------------
def test_preferences_page_shows_security_kind_disabled(user_client):
    response = user_client.get(reverse("notifications:preferences"), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    form = response.context["form"]
    assert form.fields["kind__account__security"].disabled is True
    assert [value for value, _label in form.fields["kind__account__security"].choices] == [
        "immediate"]
    assert form.fields["kind__demand__published"].initial == DeliveryMode.DIGEST
    assert "Security messages are always sent at once" in content


def test_preferences_post_saves_modes_and_ignores_security(user_client, challenger):
    response = user_client.post(reverse("notifications:preferences"), preferences_post(
        account__security="off", demand__published="off", demand__status_changed="digest",
        agreement__new_version="immediate"))

    assert response.status_code == 302
    modes = preferences_of(challenger)
    assert modes["account.security"] == DeliveryMode.IMMEDIATE
    assert modes["demand.published"] == DeliveryMode.OFF
    assert modes["demand.status_changed"] == DeliveryMode.DIGEST
    assert not NotificationPreference.objects.filter(user=challenger,
                                                     kind="account.security").exists()


def test_preferences_bad_choice_keeps_other_input(user_client, challenger):
    response = user_client.post(reverse("notifications:preferences"), preferences_post(
        demand__published="off", demand__status_changed="sometimes",
        agreement__new_version="digest"))

    form = response.context["form"]
    assert response.status_code == 200
    assert "kind__demand__status_changed" in form.errors
    assert form["kind__demand__published"].value() == "off"
    assert form["kind__agreement__new_version"].value() == "digest"
    assert NotificationPreference.objects.filter(user=challenger).count() == 0


def test_preferences_are_per_user(user_client, challenger):
    other = UserFactory()
    NotificationPreference.objects.create(user=other, kind="demand.status_changed", mode="off")

    response = user_client.get(reverse("notifications:preferences"))

    assert response.context["form"]["kind__demand__status_changed"].value() == "immediate"


def test_workspace_links_to_inbox_and_settings(user_client, challenger):
    NotificationFactory(recipient=challenger, text="需求已发布：氢能储运")

    response = user_client.get(reverse("accounts:dashboard"))

    content = response.content.decode()
    assert 'id="notifications"' in content
    assert "需求已发布：氢能储运" in content
    assert reverse("notifications:preferences") in content
