"""Staff signing in for the first time type their password once: the authenticator set-up they
are sent to does not ask for it again. Any later 2FA change, or a stale sign-in, still asks."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from tests.factories.accounts import UserFactory

PASSWORD = "Challenge-2026"


@pytest.fixture
def staff(db):
    user = UserFactory(roles=["torch_staff"], is_staff=True, email="first@torch.cn")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=user.email,
                                          defaults={"verified": True, "primary": True})
    return user


def _sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_first_set_up_right_after_sign_in_asks_no_password_again(client, staff):
    to_setup = _sign_in(client, staff)
    assert to_setup["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get(to_setup["Location"])
    assert page.status_code == 200
    assert "reauthenticate" not in page.get("Location", "")


def test_a_stale_sign_in_asks_again(client, staff):
    _sign_in(client, staff)
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] = time.time() - 3600
    session["account_authentication_methods"] = records
    session.save()
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_changes_once_set_up_ask_again(client, staff):
    _sign_in(client, staff)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
