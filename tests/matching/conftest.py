import pytest

from accounts.enums import OrganisationKind
from demands.enums import DemandStatus
from demands.public.projection import refresh_public_index
from matching.enums import Visibility
from matching.models import Achievement
from matching.services.library import index_fields
from matching.services.recommend import forget_index
from matching.services.terms import load_data_file
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.contests import IndustryFieldFactory
from tests.factories.demands import DemandFactory


@pytest.fixture(autouse=True)
def _fresh_index():
    # The ranking index is held per process; each test's database starts again.
    forget_index()
    yield
    forget_index()


@pytest.fixture
def field_(db):
    return IndustryFieldFactory(code="next-generation-it", name="新一代信息技术产业")


@pytest.fixture
def holder(db):
    return OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name="功率电子大学")


@pytest.fixture
def holder_member(holder):
    return MembershipFactory(user=UserFactory(roles=["challenger"]), organisation=holder).user


def make_achievement(holder, field_, *, title, abstract, keywords=(), visibility="public"):
    achievement = Achievement(owner=holder, industry_field=field_, trl=6, region="610100",
                              title=title, abstract=abstract, keywords=list(keywords),
                              visibility=visibility)
    index_fields(achievement)
    achievement.save()
    return achievement


@pytest.fixture
def library(holder, field_):
    """An IGBT achievement written with the full term, a look-alike, and a staff-only one."""
    # The term table comes from a data migration, which a transactional test run before this
    # one in the same process has flushed: load the repository's table again.
    load_data_file()
    return {
        "igbt": make_achievement(
            holder, field_, title="绝缘栅双极型晶体管双面冷却封装",
            abstract="银烧结与氮化硅覆铜基板的双面冷却封装，功率模块结壳热阻降低35%。",
            keywords=["功率模块", "热阻"]),
        "led": make_achievement(
            holder, field_, title="LED灯具散热外壳", abstract="铝合金鳍片散热外壳，用于照明灯具。",
            keywords=["散热"]),
        "staff": make_achievement(
            holder, field_, title="功率模块热阻内部测试方法",
            abstract="IGBT功率模块结壳热阻的内部测试方法。", keywords=["IGBT", "热阻"],
            visibility=Visibility.STAFF),
    }


@pytest.fixture
def published_demand(host_unit, field_, demand_owner):
    demand = DemandFactory(
        host_unit=host_unit, industry_field=field_, status=DemandStatus.PUBLISHED,
        organisation=demand_owner.organisations.first(), created_by=demand_owner,
        title="IGBT模块封装散热优化", keywords=["IGBT", "功率模块", "热阻"],
        key_problem="电机控制器中IGBT模块结温过高，需降低结壳热阻。钽铌秘方X9需保密。",
        hidden_passages=["钽铌秘方X9需保密"])
    refresh_public_index(demand)
    demand.refresh_from_db()
    return demand


@pytest.fixture
def client(client):
    """Signing in also gives the user the authenticator app that host organisers, experts and
    Torch staff must have (accounts.security), so pages open."""
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
from .rounds_fixtures import contenders, live_round  # noqa: F401,E402  (live-round fixtures)
