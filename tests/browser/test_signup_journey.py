"""The foundation journey: a visitor registers, confirms the e-mail address from the message
the portal sent, signs in, and opens an event."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xian-Yingkeji-2026"


def test_visitor_signs_up_confirms_email_signs_in_and_opens_event(journey):
    call_command("load_contest", verbosity=0)
    page = journey.page

    journey.goto("/")
    journey.shot("home")
    journey.submit("header a[href$='/accounts/signup/']")
    assert journey.path() == "/accounts/signup/"
    consent = page.locator("input[name=consent]")
    assert not consent.is_checked()
    journey.shot("signup-empty")

    page.fill("input[name=email]", "li.na@example.cn")
    page.fill("input[name=full_name]", "李娜")
    page.fill("input[name=mobile]", "139 2900 1234")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=roles][value=challenger]")
    consent.check()
    journey.shot("signup-filled")
    journey.submit("form:has(input[name=consent]) [type=submit]")

    # Mandatory verification: the page asks to confirm the address; no session yet.
    assert journey.path() == "/accounts/confirm-email/"
    journey.shot("verification-sent")
    user = User.objects.get(email="li.na@example.cn")
    assert (user.full_name, user.mobile) == ("李娜", "13929001234")
    assert not EmailAddress.objects.get(user=user).verified

    # The live server runs in a thread of this process, with the test's locmem e-mail backend.
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert [message.to for message in mail.outbox] == [["li.na@example.cn"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    link = journey.base_url + link[link.index("/accounts/"):]
    journey.goto(link)
    assert "li.na@example.cn" in journey.text()
    journey.shot("confirm-email")
    journey.submit("main form[method=post] [type=submit]")
    assert EmailAddress.objects.get(user=user).verified
    journey.shot("confirmed")

    journey.sign_in("li.na@example.cn", PASSWORD)
    assert "李娜" in journey.text("header")
    journey.shot("signed-in")

    journey.goto("/events/")
    journey.shot("events")
    journey.submit("main a[href$='/events/4/']")
    assert journey.path() == "/events/4/"
    assert "（西安）硬科技" in page.locator("h1").inner_text()
    host = page.locator("main").get_by_role("link", name="西安市人民政府")
    assert host.count() == 1 and host.is_visible()
    journey.shot("event-4")
