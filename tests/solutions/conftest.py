import pytest


@pytest.fixture
def client(client):
    """Django's test client; signing in also gives the user the authenticator app that host
    organisers, experts and Torch staff must have (accounts.security), so pages open."""
    from allauth.mfa.models import Authenticator

    from accounts.security import requires_mfa

    force_login = client.force_login

    def sign_in(user, backend=None):
        if requires_mfa(user):
            Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                                defaults={"data": {"secret": "test-only"}})
        return force_login(user, backend)

    client.force_login = sign_in
    return client
