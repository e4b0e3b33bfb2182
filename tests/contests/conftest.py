import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import translation

from contests import services
from contests.selectors import current_contest


def sign_in(client, user):
    """Log the user in. Staff roles must have an authenticator app (accounts.security), so
    one is registered for them first, as a real host organiser would have done."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


@pytest.fixture
def contest6(db):
    """The 6th edition as loaded from contests/data/contest6.json."""
    services.load_contest_file()
    return current_contest()


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English, whatever catalog is compiled: services run under
    English, and the test client asks for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
