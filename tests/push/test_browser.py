"""The push in a real browser: a visitor is invited to subscribe, a challenger subscribes
(an error first, the input kept), and Torch Center staff register a webhook that receives the
next publication. The journey toolkit fails the test on any CSP violation, page error or 5xx."""

import pytest

from notifications.models import Notification
from push.enums import DeliveryState
from push.fanout import fan_out
from push.models import Subscription, Webhook, WebhookDelivery
from tests.accounts.conftest import give_totp
from tests.browser.data import PASSWORD, verified_user
from tests.browser.journey import Journey, totp_code
from tests.factories.contests import IndustryFieldFactory
from tests.push.push_support import WebhookReceiver, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(browser_page, live_server, request):
    walk = Journey(browser_page, live_server.url, request.node.name)
    yield walk
    walk.assert_clean()


def test_visitor_is_invited_and_challenger_subscribes(journey):
    field = IndustryFieldFactory(code="new-energy", name="新能源汽车")
    challenger = verified_user("subscriber@example.cn", roles=["challenger"],
                               full_name="订阅者")
    page = journey.page

    journey.goto("/demands/")
    cta = page.locator("aside.push-cta")
    assert cta.is_visible()
    assert page.locator("head link[rel=alternate][type='application/rss+xml']").count() == 1
    journey.shot("visitor-invited")
    journey.submit("aside.push-cta a[href^='/accounts/signup/']")
    assert journey.path().startswith("/accounts/signup/?next=")

    journey.sign_in(challenger.email, PASSWORD)
    journey.goto("/accounts/workspace/")
    journey.submit("#subscriptions a[href='/notifications/subscriptions/']")
    journey.submit("a[href='/notifications/subscriptions/new/']")
    page.fill("input[name=name]", "电池热管理")
    page.check(f"input[name=fields][value='{field.pk}']")
    page.select_option("select[name=regions]", ["610000"])
    page.fill("input[name=other_regions]", "12345")
    page.fill("textarea[name=keywords]", "热管理，液冷")
    journey.submit("main form [type=submit]")
    errors = page.locator(".field.has-error:has(input[name=other_regions]) .field-errors")
    assert "12345" in errors.inner_text()
    assert page.locator(".field-errors").count() == 1
    assert page.input_value("input[name=name]") == "电池热管理"
    assert page.input_value("textarea[name=keywords]") == "热管理，液冷"
    assert page.is_checked(f"input[name=fields][value='{field.pk}']")
    journey.shot("error-input-kept")

    page.fill("input[name=other_regions]", "320583")
    journey.submit("main form [type=submit]")
    assert journey.path() == "/notifications/subscriptions/"
    journey.shot("subscribed")
    subscription = Subscription.objects.get(user=challenger)
    assert (subscription.regions, subscription.keywords) == (["610000", "320583"],
                                                             ["热管理", "液冷"])

    demand = published(industry_field=field, region="610113")
    fan_out(demand.pk)
    journey.goto("/notifications/")
    assert demand.public_snapshot["title"] in journey.text()
    journey.shot("inbox")
    assert Notification.objects.filter(recipient=challenger).count() == 1


def test_torch_staff_register_a_webhook_that_receives_the_next_publication(journey):
    staff = give_totp(verified_user("torch@example.cn", roles=["torch_staff"],
                                    full_name="火炬中心"))
    secret = staff.authenticator_set.get().data["secret"]
    receiver = WebhookReceiver().start()
    page = journey.page
    try:
        journey.goto("/accounts/login/")
        page.fill("input[name=login]", staff.email)
        page.fill("input[name=password]", PASSWORD)
        journey.submit("form:has(input[name=password]) [type=submit]")
        page.fill("input[name=code]", totp_code(secret))
        journey.submit("form:has(input[name=code]) [type=submit]")

        journey.goto("/accounts/workspace/")
        journey.submit("#subscriptions a[href='/notifications/webhooks/']")
        journey.submit("a[href='/notifications/webhooks/new/']")
        page.fill("input[name=name]", "科技日报")
        page.fill("input[name=url]", receiver.url)
        journey.submit("main form [type=submit]")
        assert journey.path().startswith("/notifications/webhooks/")
        journey.shot("registered")

        demand = published(region="610113")
        fan_out(demand.pk)
        WebhookDelivery.objects.get(demand=demand)
        page.reload()
        assert page.locator("table.webhook-deliveries .state-delivered").count() == 1
        journey.shot("delivered")
        assert len(receiver.requests) == 1
        assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED

        journey.submit("form[action$='/toggle/'] [type=submit]")
        assert not Webhook.objects.get().active
        assert page.locator("form[action$='/toggle/'] input[name=active][value='1']").count() == 1
        journey.shot("disabled")
    finally:
        receiver.stop()
