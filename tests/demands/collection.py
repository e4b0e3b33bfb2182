"""Fixtures and helpers of the collection-side tests (imported by each module with
``from tests.demands.collection import *``)."""

import pytest

from accounts.enums import AgreementKind
from demands.enums import DemandStatus
from tests.factories.accounts import MembershipFactory, UserFactory, sign_current_agreements
from tests.factories.demands import DemandFactory, ExpertAssignmentFactory

__all__ = [
    "client", "owner_org", "make_demand", "signed_expert", "assigned_expert", "co_member",
    "persona_users", "PERSONAS",
]


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


@pytest.fixture
def owner_org(demand_owner):
    return demand_owner.memberships.get().organisation


@pytest.fixture
def make_demand(host_unit, owner_org, demand_owner):
    """``make_demand(status=…, **fields)``: a complete demand of the owner's organisation
    filed with ``host_unit``."""
    def make(status=DemandStatus.DRAFT, **kwargs):
        kwargs.setdefault("host_unit", host_unit)
        kwargs.setdefault("organisation", owner_org)
        kwargs.setdefault("created_by", demand_owner)
        return DemandFactory(status=status, **kwargs)

    return make


@pytest.fixture
def signed_expert(expert, host_unit):
    """The expert persona, having signed the current NDA and disclaimer."""
    sign_current_agreements(expert, host_unit.event.contest)
    return expert


@pytest.fixture
def assigned_expert(signed_expert):
    """``assigned_expert(demand)``: assigns the (signed) expert persona to the demand."""
    def assign(demand):
        ExpertAssignmentFactory(demand=demand, expert=signed_expert)
        return signed_expert

    return assign


@pytest.fixture
def co_member(owner_org):
    """Another active member of the owner's organisation."""
    return MembershipFactory(user=UserFactory(roles=["demand_company"]), organisation=owner_org,
                             role="member").user


PERSONAS = ("demand_owner", "host_organiser", "other_host_organiser", "torch_staff",
            "assigned", "expert", "challenger", "stranger")


@pytest.fixture
def persona_users(request):
    """``persona_users(demand)`` → {persona name: user}; "assigned" is an expert assigned to
    the demand, "expert" one who is not."""
    def build(demand):
        users = {name: request.getfixturevalue(name) for name in PERSONAS
                 if name not in ("assigned",)}
        assigned = UserFactory(roles=["expert"])
        sign_current_agreements(assigned, demand.host_unit.event.contest, (AgreementKind.NDA,))
        ExpertAssignmentFactory(demand=demand, expert=assigned)
        users["assigned"] = assigned
        return users

    return build
