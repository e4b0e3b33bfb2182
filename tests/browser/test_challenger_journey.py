"""A challenger (a university researcher who has signed nothing yet): opens a published demand,
asks for its hidden details, is sent to sign the NDA and disclaimer first, signs, comes back
and sends the request; once the owner grants it, sees the full details, with the contact's
phone and e-mail masked or plain depending on the contact person's consent."""

import pytest

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from demands.enums import AccessState
from demands.models import AccessRequest
from demands.services import access
from tests.browser.data import PASSWORD, published_demand, seed_demo, verified_user
from tests.factories.accounts import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "西安示例智能装备有限公司"  # seed_demo's company, whose name the demands hide


def test_challenger_signs_agreements_requests_access_and_sees_full_details(journey):
    seed_demo()
    company = Organisation.objects.get(name=COMPANY)
    owner = company.memberships.get().user
    masked = published_demand(organisation=company, title="大尺寸碳化硅单晶衬底位错密度控制",
                              contact_person="孙工", contact_mobile="13991234567",
                              contact_email="sun.gong@xa-demo.example.cn",
                              contact_consents_sharing=False)
    shared = published_demand(organisation=company, title="工业机器人减速器回差在线检测",
                              contact_person="周工", contact_mobile="13687654321",
                              contact_email="zhou.gong@xa-demo.example.cn",
                              contact_consents_sharing=True)
    university = OrganisationFactory(name="示例交通大学", kind=OrganisationKind.UNIVERSITY,
                                     region="610100")
    challenger = verified_user("chen.ming@example.edu.cn", roles=["challenger"],
                               organisation=university, full_name="陈明")
    page = journey.page

    journey.sign_in(challenger.email, PASSWORD)
    journey.submit("nav.main-nav a[href='/demands/']")
    journey.submit(f"main .demand-row a[href='/demands/{masked.ref}/']")
    public_text = journey.text()
    assert COMPANY not in public_text and "13991234567" not in public_text
    journey.shot("public-demand")

    journey.submit(f"main a[href='/demands/{masked.ref}/access/request/']")
    # Nothing signed yet: the NDA and the disclaimer come first.
    assert journey.path().startswith("/accounts/agreements/sign/")
    assert page.locator("main article.agreement").count() == 2
    journey.shot("agreements-to-sign")
    for box in page.locator("main article.agreement input[type=checkbox]").all():
        box.check()
    journey.submit("main form button[type=submit]")

    # Back where the user was going: the request page of the same demand.
    assert journey.path() == f"/demands/{masked.ref}/access/request/"
    assert masked.title in journey.text()
    journey.shot("access-request-form")
    page.fill("textarea[name=message]", "我们课题组长期从事碳化硅晶体生长研究，希望了解详细指标。")
    journey.submit("main form button[type=submit]")
    assert journey.path() == f"/demands/{masked.ref}/"
    assert journey.messages(), "no confirmation shown"
    assert page.locator(f"a[href='/demands/{masked.ref}/access/request/']").count() == 0
    assert AccessRequest.objects.get(demand=masked, user=challenger).state == \
        AccessState.REQUESTED
    journey.shot("access-requested")

    # The company's administrator grants it (on its access page; here through the service).
    access.grant_access(AccessRequest.objects.get(demand=masked, user=challenger), actor=owner)
    journey.goto(f"/demands/{masked.ref}/")
    journey.submit(f"main a[href='/demands/{masked.ref}/full/']")
    details = journey.text()
    assert COMPANY in details
    assert "孙工" in details
    assert "139****4567" in details and "13991234567" not in details
    assert "s***@xa-demo.example.cn" in details and "sun.gong@" not in details
    journey.shot("full-details-contact-masked")

    # A demand whose contact person consented: the same steps, now without the agreements.
    journey.goto(f"/demands/{shared.ref}/")
    journey.submit(f"main a[href='/demands/{shared.ref}/access/request/']")
    assert journey.path() == f"/demands/{shared.ref}/access/request/"
    journey.submit("main form button[type=submit]")
    access.grant_access(AccessRequest.objects.get(demand=shared, user=challenger), actor=owner)
    journey.goto(f"/demands/{shared.ref}/")
    journey.submit(f"main a[href='/demands/{shared.ref}/full/']")
    details = journey.text()
    assert "13687654321" in details and "zhou.gong@xa-demo.example.cn" in details
    journey.shot("full-details-contact-shared")
