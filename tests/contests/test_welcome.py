"""`make run` ends with what a newcomer needs: the address it serves, the demo accounts and
what to try."""

from io import StringIO

from django.core.management import call_command


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
