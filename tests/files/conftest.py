import pytest
import rules


@pytest.fixture
def staff_client(client):
    """A client signed in as ``user`` with an authenticator app, as staff must have one."""
    from allauth.mfa.models import Authenticator

    def sign_in(user):
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                            defaults={"data": {"secret": "test-only"}})
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def organisation_view_rule():
    """Declares ``accounts.view_organisation`` as "active member of that organisation" for the
    test, the way an app declares the view permission of its own model, and removes it after."""

    @rules.predicate
    def is_member(user, organisation):
        return bool(
            user.is_authenticated and organisation is not None
            and organisation.memberships.filter(user=user, state="active").exists()
        )

    name = "accounts.view_organisation"
    previous = rules.permissions.permissions.get(name)
    rules.set_perm(name, is_member)
    yield
    if previous is None:
        rules.remove_perm(name)
    else:
        rules.set_perm(name, previous)
