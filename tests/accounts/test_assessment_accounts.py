"""Issue 13, accounts: personal data inside passwords (through the forms), other sessions ended
by a password change (audited), two-factor events audited, DEBUG off by default."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.forms import ChangePasswordForm
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.forms import PortalSignupForm
from audit.models import ActivityLog
from tests.factories.accounts import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Portal-2026-pass"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def signup_form(**overrides):
    data = {
        "email": "zhang.wei@example.cn", "full_name": "张伟", "mobile": "+86 138-0013-8000",
        "password1": "Harbour-lights-42", "password2": "Harbour-lights-42",
        "roles": ["challenger"], "consent": "on",
    }
    data.update(overrides)
    return PortalSignupForm(data=data)


@pytest.mark.django_db
@pytest.mark.parametrize("password", [
    "Pw-13800138000!",      # the mobile number
    "张伟-Harbour-2026",     # the full name
    "Zhang.Wei#2026x",      # the whole e-mail local part
    "x-ZHANGWEI-2026",      # the local part without its punctuation
])
def test_signup_refuses_password_containing_a_profile_field(password):
    form = signup_form(password1=password, password2=password)

    assert not form.is_valid()
    assert "password_contains_personal_data" in [e.code for e in form.errors.as_data()["password1"]]


@pytest.mark.django_db
def test_signup_accepts_an_unrelated_password():
    form = signup_form()

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("password", ["Pw-13912345678!", "Li-Na-Harbour-42", "li.na.work-2026X"])
def test_password_change_refuses_profile_fields(db, password):
    user = UserFactory(email="li.na.work@example.cn", full_name="Li Na", mobile="13912345678")
    form = ChangePasswordForm(data={"oldpassword": PASSWORD, "password1": password,
                                    "password2": password}, user=user)

    assert not form.is_valid()
    assert "password1" in form.errors


def test_password_change_accepts_an_unrelated_password(db):
    user = UserFactory(email="li.na.work@example.cn", full_name="Li Na", mobile="13912345678")
    form = ChangePasswordForm(data={"oldpassword": PASSWORD, "password1": "Harbour-lights-42",
                                    "password2": "Harbour-lights-42"}, user=user)

    assert form.is_valid(), form.errors


def _signed_in_client(user):
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == user.pk
    return client


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_password_change_ends_other_sessions_and_is_audited(db):
    user = _verified(UserFactory())
    other_user = _verified(UserFactory())
    phone, laptop = _signed_in_client(user), _signed_in_client(user)
    bystander = _signed_in_client(other_user)
    laptop_key = laptop.session.session_key

    response = phone.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "Harbour-lights-42",
        "password2": "Harbour-lights-42"})

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=laptop_key).exists()
    assert laptop.get(reverse("accounts:dashboard")).status_code == 302
    # The session that changed the password and other users' sessions stay.
    assert phone.get(reverse("accounts:dashboard")).status_code == 200
    assert bystander.get(reverse("accounts:dashboard")).status_code == 200
    entry = ActivityLog.objects.get(action="portal.auth.password_changed")
    assert (entry.actor_id, entry.data["other_sessions_ended"]) == (user.pk, 1)


def test_wrong_totp_code_at_sign_in_is_audited(db):
    user = _verified(UserFactory())
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    entry = ActivityLog.objects.get(action="portal.auth.mfa_failed")
    assert (entry.actor_id, entry.result, entry.data["type"]) == (user.pk, "failure", "totp")


def test_totp_setup_removal_and_recovery_codes_are_audited(db, django_capture_on_commit_callbacks):
    user = _verified(UserFactory())
    client = _signed_in_client(user)

    # Set up right after signing in: the secret to scan is shown at once (no second password
    # prompt; tests/accounts/test_first_mfa_setup.py).
    page = client.get(reverse("mfa_activate_totp"))
    secret = re.search(r'id="authenticator_secret">([A-Z2-7=]+)<', page.content.decode()).group(1)
    code = format_hotp_value(hotp_value(secret, list(yield_hotp_counters_from_time())[0]))
    # allauth sends its signal once the activation has committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert ActivityLog.objects.filter(action="portal.auth.mfa_added", actor=user,
                                      data__type="totp").exists()

    # Regenerating the recovery codes (a later change: allauth asks for the password again).
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    assert ActivityLog.objects.filter(action="portal.auth.recovery_codes_regenerated",
                                      actor=user).exists()

    # Removal.
    totp = Authenticator.objects.get(user=user, type="totp")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    assert ActivityLog.objects.filter(action="portal.auth.mfa_removed", actor=user,
                                      data__type="totp").exists()


def test_recovery_code_used_at_sign_in_is_audited(db):
    user = _verified(UserFactory())
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    codes = RecoveryCodes.activate(user).generate_codes()
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    entry = ActivityLog.objects.get(action="portal.auth.recovery_codes_used")
    assert entry.actor_id == user.pk
    assert entry.data["codes_left"] == len(codes) - 1
    assert codes[0] not in str(entry.data)


def _settings_in_fresh_process(env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "challenge_portal.settings"}
    return subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120,
    )


def test_debug_defaults_off():
    result = _settings_in_fresh_process({"SECRET_KEY": "x" * 50, "AUDIT_HMAC_KEY": "y" * 50})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_off_without_secret_key_refuses_to_start():
    result = _settings_in_fresh_process({})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_without_audit_key_refuses_to_start():
    result = _settings_in_fresh_process({"SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["dev-only-audit-hmac-key", "x" * 50])
def test_production_refuses_the_development_audit_key_or_the_secret_key(key):
    result = _settings_in_fresh_process({"SECRET_KEY": "x" * 50, "AUDIT_HMAC_KEY": key})

    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY must be set" in result.stderr
