"""Two factors (MLPS 2.0 level 3): host organisers, experts, Torch staff and Django staff must
set up an authenticator app before using their pages, and then sign in with its code."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from django.utils import translation

from accounts.security import requires_mfa
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """Messages are compared in English, whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

PASSWORD = "Portal-2026-pass"


def current_code(secret):
    counter = list(yield_hotp_counters_from_time())[0]
    return format_hotp_value(hotp_value(secret, counter))


def verify_email(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email,
                                       defaults={"verified": True, "primary": True})
    return user


def sign_in(client, user):
    """Through allauth, as a person does (so it records the authentication time)."""
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def staff_personas(host_organiser, expert, torch_staff, db):
    django_staff = UserFactory(is_staff=True)
    return {"host_organiser": host_organiser, "expert": expert, "torch_staff": torch_staff,
            "django_staff": django_staff}


@pytest.mark.parametrize("persona", ["host_organiser", "expert", "torch_staff", "django_staff"])
def test_staff_without_totp_are_sent_to_totp_setup(client, staff_personas, persona):
    client.force_login(staff_personas[persona])

    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_setup_redirect_explains_why(client, host_organiser):
    client.force_login(host_organiser)

    response = client.get(reverse("home"), follow=True)

    assert "set up an authenticator app" in response.content.decode()


@pytest.mark.parametrize("persona", ["challenger", "demand_owner", "stranger"])
def test_other_users_are_not_asked_for_totp(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    assert not requires_mfa(user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_admin_is_behind_totp(client, torch_staff):
    client.force_login(torch_staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("url_name", ["mfa_index", "healthz", "accounts:privacy"])
def test_setup_pages_stay_open_without_totp(client, host_organiser, url_name):
    client.force_login(host_organiser)

    assert client.get(reverse(url_name)).status_code == 200


def test_sign_out_stays_open_without_totp(client, host_organiser):
    client.force_login(host_organiser)

    client.post(reverse("account_logout"))

    assert not signed_in(client)


def test_htmx_request_is_redirected_by_htmx(client, host_organiser):
    client.force_login(host_organiser)

    response = client.get(reverse("accounts:dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_recovery_codes_alone_are_not_enough(client, host_organiser):
    Authenticator.objects.create(user=host_organiser, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": "0" * 40})
    client.force_login(host_organiser)

    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_host_organiser_with_totp_gets_through(client, host_organiser):
    TOTP.activate(host_organiser, generate_totp_secret())
    client.force_login(host_organiser)

    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_staff_with_totp_reaches_the_admin(client, torch_staff):
    TOTP.activate(torch_staff, generate_totp_secret())
    client.force_login(torch_staff)

    assert client.get(reverse("admin:index")).status_code == 200


def test_sign_in_then_asks_for_the_code(client, host_organiser):
    verify_email(host_organiser)
    secret = generate_totp_secret()
    TOTP.activate(host_organiser, secret)

    response = sign_in(client, host_organiser)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_activation_in_the_portal_pages_then_recovery_codes(client, host_organiser):
    verify_email(host_organiser)
    sign_in(client, host_organiser)
    assert signed_in(client)

    # The first factor, right after signing in with the password, is set up without typing
    # it again (accounts.security.first_setup_after_sign_in; later 2FA changes still ask).
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="site-footer"' in html  # our layout, not allauth's bare one
    secret = re.search(r'id="authenticator_secret">([A-Z2-7=]+)<', html).group(1)

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=host_organiser).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=host_organiser,
                                        type=Authenticator.Type.TOTP).exists()

    codes_page = client.get(response.url).content.decode()
    assert len(re.findall(r"<li><code>\w+</code></li>", codes_page)) == 10
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_mfa_overview_renders_in_our_layout(client, host_organiser):
    TOTP.activate(host_organiser, generate_totp_secret())
    client.force_login(host_organiser)

    html = client.get(reverse("mfa_index")).content.decode()

    assert 'class="site-footer"' in html
    assert reverse("mfa_deactivate_totp") in html
