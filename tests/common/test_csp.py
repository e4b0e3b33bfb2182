"""Content Security Policy without inline script or style, and production settings that pass
``check --deploy`` (HSTS, secure cookies, HTTPS redirect)."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.urls import reverse

from tests.factories.accounts import UserFactory

PASSWORD = "Portal-2026-pass"


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style> blocks, style=""
    attributes, on*="" handlers and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            # A JSON data block (json_script) is not executed and is allowed.
            if attributes.get("type") != "application/json":
                self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> block at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="" on <{tag}> at line {self.getpos()[0]}')
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_finder_catches_what_csp_would_block():
    html = ('<script>alert(1)</script><style>p{}</style><p style="color:red" onclick="x()">'
            '<a href="javascript:void(0)">x</a><script type="application/json">{}</script>'
            '<script src="/static/js/portal.js"></script>')

    assert len(inline_code(html)) == 5


@pytest.fixture
def member(db):
    user = UserFactory(email="he.ping@example.cn")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("url_name", ["home", "contests:event_list", "accounts:privacy",
                                      "account_login", "account_signup",
                                      "account_reset_password"])
def test_public_pages_send_csp_and_have_no_inline_code(client, db, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize("url_name", ["accounts:dashboard", "accounts:privacy_delete",
                                      "account_change_password", "mfa_index"])
def test_signed_in_pages_have_no_inline_code(client, member, url_name):
    client.force_login(member)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert inline_code(response.content.decode()) == []


def test_two_factor_pages_have_no_inline_code(client, member):
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}",
                {"password": PASSWORD})
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    # The QR code is a data: image, which img-src allows; no script draws it.
    assert 'src="data:image/svg+xml;base64,' in activate.content.decode()
    assert "img-src 'self' data:" in activate["Content-Security-Policy"]
    assert inline_code(activate.content.decode()) == []

    TOTP.activate(member, generate_totp_secret())
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(member)
    for url_name in ("mfa_view_recovery_codes", "mfa_index"):
        response = client.get(reverse(url_name))
        assert response.status_code == 200
        assert inline_code(response.content.decode()) == []


# --- check --deploy ---------------------------------------------------------------------------
def production_env(**overrides):
    env = {
        name: value for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
    }
    env.update({
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "AUDIT_HMAC_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.cn",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.cn",
    })
    env.update(overrides)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_catch_a_weakened_setting():
    # The test above can fail: turning HSTS off in production is reported.
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env=production_env(SECURE_HSTS_SECONDS="0"))

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_uses_hsts_secure_cookies_and_https():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'session_secure': s.SESSION_COOKIE_SECURE,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'httponly': s.SESSION_COOKIE_HTTPONLY,"
        "'proxy_ssl': list(s.SECURE_PROXY_SSL_HEADER)}))"
    )
    result = manage("shell", "-c", script, env=production_env())

    assert result.returncode == 0, result.stderr
    values = json.loads(re.findall(r"^\{.*\}$", result.stdout, re.MULTILINE)[-1])
    assert values["hsts"] >= 31536000
    assert values["subdomains"] is True
    assert values["ssl_redirect"] is True
    assert values["session_secure"] is True
    assert values["csrf_secure"] is True
    assert values["httponly"] is True
    assert values["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
