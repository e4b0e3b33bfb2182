import pytest
from allauth.account.models import EmailAddress

from audit.models import ActivityLog

pytestmark = pytest.mark.django_db


def test_failed_login_logged_without_the_password(client, demand_owner):
    response = client.post("/accounts/login/", {"login": demand_owner.email,
                                                 "password": "Wrong-guess-2026"},
                           REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200  # the form again, with its error
    entry = ActivityLog.objects.get(action="portal.auth.login_failed")
    assert entry.result == "failure"
    assert entry.actor is None
    assert entry.ip_address == "203.0.113.9"
    raw = str(entry.data)
    assert "Wrong-guess-2026" not in raw
    assert demand_owner.email not in raw
    assert entry.data["attempt"]["email"] == demand_owner.email[0] + "***@example.cn"
    assert entry.entry_hash == entry.compute_hash()


def test_login_and_logout_logged_with_result(client, demand_owner):
    EmailAddress.objects.create(user=demand_owner, email=demand_owner.email, verified=True,
                                primary=True)

    client.post("/accounts/login/", {"login": demand_owner.email,
                                     "password": "Portal-2026-pass"})
    client.post("/accounts/logout/")

    entries = list(ActivityLog.objects.order_by("sequence").values_list("action", "result",
                                                                         "actor"))
    assert entries == [
        ("portal.auth.login", "success", demand_owner.pk),
        ("portal.auth.logout", "success", demand_owner.pk),
    ]
