"""Security scans, part of the proof harness: ``check --deploy --fail-level WARNING`` under
production settings (run as a separate process, as a deployment would), and the production
values it cannot see."""

import json
import os
import re
import secrets
import subprocess
import sys

from django.conf import settings


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
