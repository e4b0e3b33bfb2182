"""`make run` ends with what a newcomer needs: the address it serves, the demo accounts and
what to try."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_welcome_prints_the_site_url_accounts_and_what_to_try(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    call_command("welcome", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text and "127.0.0.1:8000" not in text
    for email in ("company@demo.cn", "challenger@demo.cn", "expert@demo.cn", "torch@demo.cn",
                  "host.xian@demo.cn", "host.beijing@demo.cn", "agency@demo.cn"):
        assert email in text
    assert "Challenge-2026" in text and "/api/v1/docs/" in text
    assert "Task " not in text


def test_welcome_names_the_later_seeds_accounts_only_when_they_exist(settings):
    get_user_model().objects.create_user(email="challenger.lab@demo.cn", password="x")
    out = StringIO()
    call_command("welcome", stdout=out)
    text = out.getvalue()
    assert "challenger.lab@demo.cn" in text
    assert "expert.wang@demo.cn" not in text
