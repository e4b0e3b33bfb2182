"""A host organiser of Xi'an (the demo account host.xian@demo.cn, with an authenticator app):
signs in with a TOTP code, sees the organiser pages, opens a submitted demand of its unit,
assigns an expert who signed the NDA, and finds only its own unit's rows in Django admin."""

import pytest

from accounts.models import Organisation
from contests.models import HostUnit
from demands.enums import DemandStatus
from demands.models import ExpertAssignment
from tests.accounts.conftest import give_totp
from tests.browser.data import DEMO_PASSWORD, seed_demo, verified_user, xian
from tests.browser.journey import totp_code
from tests.factories.demands import DemandFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_TITLE = "航空发动机叶片激光冲击强化工艺优化"
OTHER_TITLE = "北京某医疗器械企业手术机器人力反馈控制"


def test_organiser_signs_in_with_totp_assigns_expert_and_admin_is_scoped(journey):
    seed_demo()
    organiser = give_totp(HostUnit.objects.get(slug="xian").memberships.get().user)
    secret = organiser.authenticator_set.get().data["secret"]
    company = Organisation.objects.get(name="西安示例智能装备有限公司")
    demand = DemandFactory(host_unit=xian(), organisation=company, title=OWN_TITLE,
                           status=DemandStatus.SUBMITTED,
                           industry_field=xian().fields.first())
    other = DemandFactory(host_unit=HostUnit.objects.get(slug="beijing"), title=OTHER_TITLE,
                          status=DemandStatus.SUBMITTED)
    unsigned = verified_user("new.expert@example.cn", roles=["expert"], full_name="未签署专家")
    page = journey.page

    journey.goto("/accounts/login/")
    page.fill("input[name=login]", organiser.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    journey.submit("form:has(input[name=password]) [type=submit]")
    # The second step asks for the code of the authenticator app.
    assert journey.path().startswith("/accounts/2fa/authenticate/")
    journey.shot("totp-step")
    page.fill("input[name=code]", totp_code(secret))
    journey.submit("form:has(input[name=code]) [type=submit]")
    assert organiser.full_name in journey.text("header")
    journey.shot("signed-in")

    journey.submit("nav.main-nav a[href='/organiser/']")
    cards = page.locator("main article.card")
    assert cards.count() == 1
    assert "西安市人民政府" in cards.first.inner_text()
    assert "北京" not in journey.text()
    journey.shot("organiser-home")

    journey.goto("/accounts/workspace/")
    assert page.locator("#managed-demands").is_visible()
    journey.shot("workspace")
    journey.submit("#managed-demands a[href='/demands/manage/']")
    listing = journey.text()
    assert OWN_TITLE in listing and OTHER_TITLE not in listing
    journey.shot("manage-list")

    journey.submit(f"main a[href='/demands/manage/{demand.ref}/']")
    assert OWN_TITLE in page.locator("h1").inner_text()
    journey.shot("demand")

    journey.submit(f"main a[href='/demands/manage/{demand.ref}/experts/']")
    signed_box = page.get_by_role("checkbox", name="评审专家演示账号")
    assert signed_box.count() == 1
    unsigned_label = page.locator("label", has_text=unsigned.full_name).inner_text()
    assert "NDA" in unsigned_label or "保密" in unsigned_label
    journey.shot("assign-experts")
    # An expert without the NDA is refused, next to the field, and nothing is assigned.
    page.locator("label", has_text=unsigned.full_name).locator("input").check()
    journey.submit("main form button[type=submit]")
    assert journey.path() == f"/demands/manage/{demand.ref}/experts/"
    assert page.locator("main .errorlist").is_visible()
    assert not ExpertAssignment.objects.filter(demand=demand).exists()
    journey.shot("unsigned-expert-refused")
    page.locator("label", has_text=unsigned.full_name).locator("input").uncheck()
    signed_box.check()
    journey.submit("main form button[type=submit]")
    assert journey.path() == f"/demands/manage/{demand.ref}/"
    assert ExpertAssignment.objects.filter(demand=demand,
                                           expert__email="expert@demo.cn").exists()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.IN_ANALYSIS
    assert page.locator("main .tag", has_text="评审专家演示账号").count() >= 1
    assert page.locator(".page-heading .state-in_analysis").is_visible()
    journey.shot("expert-assigned")

    journey.submit("nav.main-nav a[href='/admin/']")
    journey.shot("admin-index")
    journey.goto("/admin/demands/demand/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert demand.ref in rows.first.inner_text()
    assert other.ref not in journey.text("#changelist") and OTHER_TITLE not in page.content()
    journey.shot("admin-demands-scoped")
    journey.goto("/admin/contests/hostunit/")
    units = page.locator("#result_list tbody tr")
    assert units.count() == 1 and "西安市人民政府" in units.first.inner_text()
    journey.shot("admin-host-units-scoped")
    # Another unit's demand by its address: admin answers 404, as the pages do.
    response = page.goto(journey.url(f"/admin/demands/demand/{other.pk}/change/"))
    assert response is not None and response.status == 404
    assert OTHER_TITLE not in page.content()
    journey.shot("admin-other-unit-demand")
