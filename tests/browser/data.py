"""Data the browser journeys start from: the real contest (``load_contest``), the demo accounts
(``seed_demo``) and published demands (factories, then the public index the publishing service
writes)."""

from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.enums import OrganisationKind
from contests.models import HostUnit
from demands.enums import DemandStatus, HideableField
from demands.public.projection import refresh_public_index
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.demands import DemandFactory

# seed_demo's password for the accounts it creates.
DEMO_PASSWORD = "Challenge-2026"
# A password for accounts made with factories here (set through UserFactory).
PASSWORD = "Portal-2026-pass"

# The organisation behind the published demands: its name must never reach a public page.
HIDDEN_ORGANISATION = "西安秦岭光电芯片有限公司"


def load_contest():
    call_command("load_contest", verbosity=0)


def seed_demo():
    """The contest and the demo accounts (one per role, e-mail verified)."""
    load_contest()
    call_command("seed_demo", allow_production=True, verbosity=0)


def xian():
    return HostUnit.objects.select_related("event").get(slug="xian")


def verified_user(email, *, roles=(), organisation=None, full_name=None):
    """An account that can sign in (verified e-mail), optionally an active admin member of
    ``organisation``."""
    user = UserFactory(email=email, roles=list(roles),
                       **({"full_name": full_name} if full_name else {}))
    EmailAddress.objects.update_or_create(user=user, email=email,
                                          defaults={"verified": True, "primary": True})
    if organisation is not None:
        MembershipFactory(user=user, organisation=organisation)
    return user


def hidden_organisation():
    return OrganisationFactory(name=HIDDEN_ORGANISATION, kind=OrganisationKind.ENTERPRISE,
                               region="610100", address="西安市高新区丈八一路8号")


def published_demand(*, host_unit=None, organisation=None, hidden=(HideableField.ORGANISATION,),
                     **fields):
    """A published demand of Xi'an's host unit, indexed for the public side as the publishing
    service does, hiding ``hidden`` (the organisation name by default)."""
    host_unit = host_unit or xian()
    demand = DemandFactory(
        host_unit=host_unit,
        organisation=organisation or hidden_organisation(),
        status=DemandStatus.PUBLISHED,
        industry_field=host_unit.fields.order_by("code").first(),
        region="610100",
        hidden_fields=list(hidden),
        **fields,
    )
    refresh_public_index(demand)
    demand.refresh_from_db()
    return demand
