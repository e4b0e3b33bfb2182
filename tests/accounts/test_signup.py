import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import field_block

PASSWORD = "Xian-Guangji-2026"


def signup_data(**overrides):
    data = {
        "email": "zhang.wei@example.cn",
        "full_name": "张伟",
        "mobile": "+86 138-0013-8000",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "roles": ["challenger"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_signup_confirm_email_then_login(client, db, english):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="zhang.wei@example.cn")
    assert (user.full_name, user.mobile) == ("张伟", "13800138000")
    assert user.role_codes() == {"challenger"}
    assert user.language == "en"
    assert not EmailAddress.objects.get(user=user).verified

    # Mandatory verification: no session until the address is confirmed.
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    assert client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}
                       )["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    # Follow the link of the last message (the failed sign-in above resent it).
    message = mail.outbox[-1]
    assert message.to == ["zhang.wei@example.cn"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(reverse("account_login"),
                           {"login": "Zhang.Wei@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    dashboard = client.get(reverse("accounts:dashboard"))
    assert "张伟" in dashboard.content.decode()


def test_signup_without_consent_refused_and_input_kept(client, db, english):
    data = signup_data()
    del data["consent"]

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "You must accept the terms of use and the privacy notice to register." in html
    assert 'value="zhang.wei@example.cn"' in field_block(html, "email")
    assert 'value="张伟"' in field_block(html, "full_name")
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_consent_box_is_not_pre_ticked(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    consent = re.search(r"<input[^>]*name=\"consent\"[^>]*>", html).group(0)
    assert "checked" not in consent
    assert reverse("accounts:privacy") in html


@pytest.mark.parametrize("mobile", ["12800138000", "138001380", "010-88656297"])
def test_signup_bad_mobile_refused_at_field(client, db, english, mobile):
    response = client.post(reverse("account_signup"), signup_data(mobile=mobile))

    block = field_block(response.content.decode(), "mobile")
    assert "Enter an 11-digit mainland mobile number" in block
    assert f'value="{mobile}"' in block
    assert not User.objects.exists()


def test_signup_cannot_take_staff_roles(client, db):
    response = client.post(reverse("account_signup"),
                           signup_data(roles=["torch_staff", "challenger"]))

    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert not User.objects.exists()


def test_signup_without_roles_allowed(client, db):
    client.post(reverse("account_signup"), signup_data(roles=[]))

    user = User.objects.get()
    assert user.role_codes() == frozenset()
    assert user.is_staff is False


def test_password_reset_mail_link_sets_new_password(client, db, english):
    client.post(reverse("account_signup"), signup_data())
    user = User.objects.get()
    EmailAddress.objects.filter(user=user).update(verified=True)
    mail.outbox.clear()

    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)",
                     mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": "New-Secret-2026x", "password2": "New-Secret-2026x"})

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-Secret-2026x")


def test_password_change_page_in_portal_layout(client, login_as, db):
    from tests.factories.accounts import UserFactory

    user = UserFactory()
    login_as(user)

    response = client.post(reverse("account_change_password"), {
        "oldpassword": "Portal-2026-pass", "password1": "Changed-Pass-2026",
        "password2": "Changed-Pass-2026"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Changed-Pass-2026")


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password",
                                  "account_email_verification_sent"])
def test_allauth_entrance_pages_use_portal_layout_without_inline_styles(client, db, name):
    html = client.get(reverse(name)).content.decode()

    assert 'class="site-header"' in html
    assert "auth-entrance" in html
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


@pytest.mark.parametrize("name", ["account_change_password", "account_email", "account_logout"])
def test_allauth_manage_pages_use_portal_layout_without_inline_styles(client, login_as, db,
                                                                      name):
    from tests.factories.accounts import UserFactory

    login_as(UserFactory())
    html = client.get(reverse(name)).content.decode()

    assert 'class="site-header"' in html
    assert "auth-manage" in html
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
