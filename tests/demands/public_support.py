"""Fixtures and helpers of the public-side tests (imported by each module with
``from tests.demands.public_support import *``)."""

from decimal import Decimal

import pytest
from django.test import TestCase

from accounts.enums import OrganisationKind
from demands.enums import DemandStatus, HideableField
from demands.public.projection import refresh_public_index
from tests.factories.accounts import OrganisationFactory
from tests.factories.contests import IndustryFieldFactory
from tests.factories.demands import DemandFactory

__all__ = [
    "CANARIES", "CANARY_VARIANTS", "HIDDEN_PASSAGE", "assert_no_leak", "PASSAGE_PIECE",
    "PUBLIC_NAME", "publish", "canary_demand", "owner_org", "new_materials", "client",
    "_english",
]

# A marked passage, and a 2-character piece of it that occurs nowhere else in any demand.
HIDDEN_PASSAGE = "钽铌复合配方ZX9"
PASSAGE_PIECE = "钽铌"
PUBLIC_NAME = "某西安新材料产业企业"

# One unique value per hideable field, each of which would show up if it leaked.
CANARIES = {
    HideableField.ORGANISATION: "金丝雀科技有限公司CANARY1",
    HideableField.CONTACT_PERSON: "雀鸣远CANARYP",
    HideableField.PHONE: "13912345678",
    HideableField.EMAIL: "canary.secret@canary-mail.cn",
    HideableField.ADDRESS: "西安市雁塔区金丝雀路99号CANARYADDR",
    HideableField.BUDGET: "987.65",
    HideableField.PRIZE: "123.45",
    HideableField.ATTACHMENTS: "金丝雀附件CANARYFILE.pdf",
}
# What else of the canaries could leak in another form.
CANARY_VARIANTS = ["CANARY", "金丝雀", "雀鸣远", "139****5678", "canary-mail", "55501234"]


def assert_no_leak(text, where):
    """Nothing hidden in ``text``: no canary, no variant of one, no marked passage."""
    for field, value in CANARIES.items():
        assert value not in text, f"{field} canary {value!r} leaked into {where}"
    for value in CANARY_VARIANTS:
        assert value not in text, f"{value!r} leaked into {where}"
    assert HIDDEN_PASSAGE not in text, f"the hidden passage leaked into {where}"
    assert PASSAGE_PIECE not in text, f"a piece of the hidden passage leaked into {where}"


def publish(demand):
    """Put a demand on the public side as the publishing service does, once committed (the
    cached public pages are dropped after commit), and return it fresh."""
    if demand.status not in (DemandStatus.PUBLISHED, DemandStatus.CLOSED):
        demand.status = DemandStatus.PUBLISHED
        demand.save(update_fields=["status"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        refresh_public_index(demand)
    demand.refresh_from_db()
    return demand


@pytest.fixture
def client(client):
    """Django's test client asking for English pages (messages are asserted in English,
    whatever catalog is compiled); signing in also gives staff users the authenticator app
    they must have (accounts.security), so pages open."""
    from allauth.mfa.models import Authenticator

    from accounts.security import requires_mfa

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    force_login = client.force_login

    def sign_in(user, backend=None):
        if requires_mfa(user):
            Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                                defaults={"data": {"secret": "test-only"}})
        return force_login(user, backend)

    client.force_login = sign_in
    return client


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def owner_org(demand_owner):
    return demand_owner.memberships.get().organisation


@pytest.fixture
def new_materials(db):
    return IndustryFieldFactory(code="new-materials", name="新材料产业")


@pytest.fixture
def canary_demand(host_unit, new_materials, demand_owner):
    """A published demand hiding every hideable field, each holding a canary, with a marked
    passage in two of its texts."""
    from tests.factories.files import PrivateFileFactory

    organisation = OrganisationFactory(name=CANARIES[HideableField.ORGANISATION],
                                       kind=OrganisationKind.ENTERPRISE, region="610100")
    demand = DemandFactory(
        host_unit=host_unit, organisation=organisation, created_by=demand_owner,
        status=DemandStatus.PUBLISHED, industry_field=new_materials, region="610113",
        title="高温合金涡轮叶片涂层寿命提升",
        keywords=["热障涂层", "涡轮叶片"],
        current_base=f"已有等离子喷涂产线，采用{HIDDEN_PASSAGE}制备粘结层。",
        key_problem=f"涂层在1100℃热循环500次后剥落，需改进{HIDDEN_PASSAGE}或替代工艺。",
        expected_outcome="热循环寿命提高一倍，形成工艺规范。",
        contact_person=CANARIES[HideableField.CONTACT_PERSON],
        contact_mobile=CANARIES[HideableField.PHONE],
        contact_landline="029-55501234",
        contact_email=CANARIES[HideableField.EMAIL],
        address=CANARIES[HideableField.ADDRESS],
        budget=Decimal(CANARIES[HideableField.BUDGET]),
        prize=Decimal(CANARIES[HideableField.PRIZE]),
        hidden_fields=list(HideableField.values),
        hidden_passages=[HIDDEN_PASSAGE],
    )
    PrivateFileFactory(name=CANARIES[HideableField.ATTACHMENTS], attach_to=demand,
                       uploaded_by=demand_owner)
    return publish(demand)
