"""Fixtures of the accounts tests (the suite-wide personas live in tests/conftest.py)."""

import pytest
from allauth.mfa.models import Authenticator

from tests.factories.contests import ContestFactory


def give_totp(user):
    """Staff must have an authenticator app (accounts.security); for tests its presence is
    what matters."""
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}})
    return user


@pytest.fixture
def contest(db):
    """The current contest (the 6th edition)."""
    return ContestFactory(is_current=True)


@pytest.fixture
def login_as(client):
    """``login_as(user)`` signs the test client in (with an authenticator for staff)."""

    def login(user):
        give_totp(user)
        client.force_login(user)
        return client

    return login


@pytest.fixture
def english(client, settings):
    """Pages in English, so tests can compare messages whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def field_block(html, name):
    """The HTML of one text field's wrapper (label, input, help, errors) on a rendered form."""
    position = html.index(f'id="id_{name}"')
    start = html.rindex('class="field', 0, position)
    end = html.find('class="field', position)
    return html[start:end if end != -1 else len(html)]
