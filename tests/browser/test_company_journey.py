"""A demand company (the demo account company@demo.cn): signs in, starts a demand from the
workspace, saves a draft, finds it under "My demands", checks the public preview, signs the
agreements it is sent to, and submits the demand to its host unit."""

import pytest

from demands.enums import DemandStatus
from demands.models import Demand
from tests.browser.data import DEMO_PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "西安示例智能装备有限公司"  # seed_demo's organisation of company@demo.cn
TITLE = "高功率半导体激光器芯片散热封装技术"


def choose_option(page, select, containing):
    """Select the option of ``select`` whose label contains ``containing``."""
    labels = page.locator(f"{select} option").all_inner_texts()
    label = next(text for text in labels if containing in text)
    page.select_option(select, label=label)


def test_company_drafts_previews_and_submits_a_demand(journey):
    seed_demo()
    page = journey.page

    journey.sign_in("company@demo.cn", DEMO_PASSWORD)
    journey.submit("nav.main-nav a[href='/accounts/workspace/']")
    assert page.locator("#my-demands").is_visible()
    journey.shot("workspace")

    journey.submit("#my-demands a[href='/demands/new/']")
    assert journey.path() == "/demands/new/"
    choose_option(page, "select[name=organisation]", COMPANY)
    choose_option(page, "select[name=host_unit]", "西安市人民政府")
    page.fill("input[name=title]", TITLE)
    choose_option(page, "select[name=industry_field]", "硬科技")
    page.select_option("select[name=demand_type]", "research")
    page.fill("input[name=keywords]", "激光器、芯片散热、封装")
    page.fill("textarea[name=key_problem]",
              "千瓦级激光器芯片热流密度超过1kW/cm²，现有铜热沉封装结温过高，寿命不足5000小时。")
    page.fill("textarea[name=expected_outcome]", "结温降低15℃以上，寿命达到20000小时。")
    page.fill("input[name=indicators-0-name]", "芯片结温降低")
    page.fill("input[name=indicators-0-target_value]", "≥15")
    page.fill("input[name=indicators-0-unit]", "℃")
    page.check("input[name=outcome_forms][value=prototype]")
    page.check("input[name=cooperation_modes][value=joint]")
    page.fill("input[name=region]", "610100")
    page.fill("input[name=contact_person]", "赵工")
    page.fill("input[name=contact_mobile]", "13709112233")
    page.fill("input[name=contact_email]", "zhao@xa-demo.example.cn")
    page.check("input[name=hidden_fields][value=organisation]")
    journey.shot("new-demand-filled")

    journey.submit("button[name=action][value=draft]")
    demand = Demand.objects.get(title=TITLE)
    assert demand.status == DemandStatus.DRAFT
    assert journey.path() == f"/demands/manage/{demand.ref}/edit/"
    assert demand.ref in journey.text("main .messages .alert-success")
    # Everything typed is back in the form.
    assert page.input_value("input[name=title]") == TITLE
    assert page.input_value("input[name=contact_person]") == "赵工"
    journey.shot("draft-saved")

    journey.goto("/accounts/workspace/")
    journey.submit("#my-demands a[href='/demands/mine/']")
    row = page.locator("main table.demand-table tbody tr", has_text=TITLE)
    assert row.count() == 1
    assert demand.ref in row.inner_text()
    assert row.locator(".state-draft").is_visible()
    journey.shot("my-demands")

    journey.submit(f"main a[href='/demands/manage/{demand.ref}/']")
    journey.submit(f"main a[href='/demands/manage/{demand.ref}/preview/']")
    preview = page.locator("main .preview-frame")
    assert TITLE in preview.inner_text()
    assert "某" in preview.inner_text() and COMPANY not in preview.inner_text()
    journey.shot("public-preview")

    journey.submit("form[action$='/status/'] button[type=submit]")
    # The company has not signed the NDA and disclaimer yet: it is sent to sign them first.
    assert journey.path().startswith("/accounts/agreements/sign/")
    journey.shot("agreements-to-sign")
    boxes = page.locator("main form input[type=checkbox]")
    assert boxes.count() == 2
    for index in range(boxes.count()):
        boxes.nth(index).check()
    journey.submit("main form button[type=submit]")
    assert journey.path() == f"/demands/manage/{demand.ref}/preview/"
    journey.shot("back-to-preview")

    journey.submit("form[action$='/status/'] button[type=submit]")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED
    assert journey.path() == f"/demands/manage/{demand.ref}/"
    assert page.locator(".page-heading .state-submitted").is_visible()
    journey.shot("submitted")
