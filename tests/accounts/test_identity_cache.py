"""The signed-in user comes from the cache (accounts.identity): no query for the person, their
roles or their badge on a repeat page, and never a stale person where it matters — a new
password elsewhere, a deactivation, a new role or a new notification shows on the next page."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.urls import reverse

from accounts.enums import RoleCode
from accounts.models import Role
from accounts.services import grant_role, revoke_role
from notifications.services import mark_all_read, notify

pytestmark = pytest.mark.django_db

LIST = "demands:list"


@pytest.fixture
def signed_in(client, challenger):
    client.force_login(challenger)
    client.get(reverse(LIST))  # read from the database once, then kept
    return client


def test_a_repeat_page_reads_neither_the_user_nor_the_roles(signed_in, challenger,
                                                              django_assert_num_queries):
    with django_assert_num_queries(0):
        response = signed_in.get(reverse(LIST))
    assert response.context["user"].pk == challenger.pk
    assert response.context["user_roles"] == challenger.role_codes()


def test_the_cached_user_never_holds_the_password_and_saves_only_what_it_holds(
        signed_in, challenger):
    user = signed_in.get(reverse(LIST)).context["user"]._wrapped
    assert "password" in user.get_deferred_fields()
    user.full_name = "新名字"
    user.save()
    challenger.refresh_from_db()
    assert challenger.full_name == "新名字"
    assert challenger.password  # untouched by the save


def test_a_password_changed_elsewhere_signs_the_session_out(signed_in, challenger):
    challenger.set_password("Another-Pass-2026")
    challenger.save()
    response = signed_in.get(reverse(LIST))
    assert not response.context["user"].is_authenticated


def test_a_session_with_another_hash_is_refused_even_when_the_user_is_cached(
        signed_in, client):
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    response = client.get(reverse(LIST))
    assert not response.context["user"].is_authenticated


def test_a_deactivated_user_is_signed_out_on_the_next_page(signed_in, challenger):
    challenger.is_active = False
    challenger.save()
    response = signed_in.get(reverse(LIST))
    assert not response.context["user"].is_authenticated


@pytest.mark.parametrize("change", ["grant", "revoke", "role.users.clear"])
def test_a_change_of_roles_shows_on_the_next_page(signed_in, challenger, torch_staff, change):
    if change == "grant":
        grant_role(challenger, RoleCode.DEMAND_COMPANY, actor=torch_staff)
        expected = frozenset({RoleCode.CHALLENGER, RoleCode.DEMAND_COMPANY})
    elif change == "revoke":
        revoke_role(challenger, RoleCode.CHALLENGER, actor=torch_staff)
        expected = frozenset()
    else:
        Role.objects.get(code=RoleCode.CHALLENGER).users.clear()
        expected = frozenset()
    response = signed_in.get(reverse(LIST))
    assert response.status_code == 200, response.get("Location")
    assert response.context["user_roles"] == expected


def test_the_badge_counts_a_new_notification_and_a_read_one_on_the_next_page(
        signed_in, challenger):
    assert signed_in.get(reverse(LIST)).context["unread_notifications"] == 0
    notify(recipient=challenger, kind="account.security", context={"event": "new_sign_in"},
           idempotency_key="identity-badge")
    assert signed_in.get(reverse(LIST)).context["unread_notifications"] == 1
    mark_all_read(challenger)
    assert signed_in.get(reverse(LIST)).context["unread_notifications"] == 0
