"""Subscription pages: a user's own subscriptions only, errors next to their fields with the
input kept, the delivery choice, and the ways in (demand list, settings, workspace)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.enums import DeliveryMode
from notifications.models import NotificationPreference
from push.models import Subscription, SubscriptionKeyword
from push.subscriptions import MAX_SUBSCRIPTIONS, create_subscription
from tests.factories.accounts import UserFactory
from tests.factories.contests import IndustryFieldFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def field():
    return IndustryFieldFactory(code="new-energy", name="新能源汽车")


@pytest.fixture
def signed_in(client, challenger):
    client.force_login(challenger)
    return client


def _page(response):
    return response.content.decode()


def test_subscription_pages_ask_visitors_to_sign_in(client):
    for name in ("subscriptions", "subscription_create"):
        response = client.get(reverse(f"notifications:{name}"))
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("account_login"))


def test_create_subscription_writes_it_and_its_index(signed_in, challenger, field):
    response = signed_in.post(reverse("notifications:subscription_create"), {
        "name": "电池", "fields": [field.pk], "regions": ["610000", "610100"],
        "other_regions": "320583", "keywords": "热管理，ＡＩ芯片, 液冷"})

    assert response.headers["Location"] == reverse("notifications:subscriptions")
    subscription = Subscription.objects.get(user=challenger)
    assert (subscription.name, subscription.regions, subscription.keywords) == (
        "电池", ["610000", "320583"], ["热管理", "ai芯片", "液冷"])  # 610100 is in 610000
    assert list(subscription.fields.all()) == [field]
    assert sorted(subscription.region_index.values_list("code", flat=True)) == [
        "320583", "610000"]
    assert sorted(SubscriptionKeyword.objects.values_list("keyword", "anchor")) == [
        ("ai芯片", "芯片"), ("液冷", "液冷"), ("热管理", "热管")]


def test_bad_input_is_shown_next_to_its_field_and_the_input_stays(signed_in, field):
    response = signed_in.post(reverse("notifications:subscription_create"), {
        "name": "我的订阅", "fields": [field.pk], "regions": ["610000"],
        "other_regions": "61010", "keywords": "液冷，！！！"})

    page = _page(response)
    assert response.status_code == 200
    assert "“61010” is not a region code" in page
    assert "“！！！” has no letter, digit or Chinese character" in page
    assert 'value="我的订阅"' in page and 'value="61010"' in page and "液冷，！！！" in page
    assert f'value="{field.pk}" id="id_fields_0" checked' in page
    assert '<option value="610000" selected>' in page
    assert not Subscription.objects.exists()


def test_empty_subscription_is_refused_with_a_message(signed_in):
    response = signed_in.post(reverse("notifications:subscription_create"),
                              {"name": "空的", "keywords": " , ，"})

    assert "Choose at least one industry field, region or keyword." in _page(response)
    assert not Subscription.objects.exists()


def test_subscriptions_beyond_the_limit_are_refused_and_the_input_stays(signed_in,
                                                                         challenger):
    for number in range(MAX_SUBSCRIPTIONS):
        create_subscription(challenger, keywords=[f"关键词{number}"])

    response = signed_in.post(reverse("notifications:subscription_create"),
                              {"name": "再一个", "keywords": "石墨烯"})

    page = _page(response)
    assert f"You have {MAX_SUBSCRIPTIONS} subscriptions already" in page
    assert 'value="再一个"' in page and "石墨烯" in page
    assert Subscription.objects.filter(user=challenger).count() == MAX_SUBSCRIPTIONS


def test_edit_own_subscription_replaces_what_it_follows(signed_in, challenger, field):
    subscription = create_subscription(challenger, keywords=["液冷"], regions=["610000"])
    url = reverse("notifications:subscription_edit", args=[subscription.pk])

    form_page = _page(signed_in.get(url))
    signed_in.post(url, {"name": "新名字", "fields": [field.pk], "keywords": "氢能"})

    assert 'value="610000" selected' in form_page and "液冷" in form_page
    subscription.refresh_from_db()
    assert (subscription.name, subscription.regions, subscription.keywords) == (
        "新名字", [], ["氢能"])
    assert list(subscription.keyword_index.values_list("keyword", flat=True)) == ["氢能"]
    assert not subscription.region_index.exists()


def test_someone_elses_subscription_is_404_and_left_alone(signed_in):
    other = create_subscription(UserFactory(), keywords=["液冷"])

    assert signed_in.get(reverse("notifications:subscription_edit",
                                 args=[other.pk])).status_code == 404
    assert signed_in.post(reverse("notifications:subscription_edit", args=[other.pk]),
                          {"keywords": "改掉"}).status_code == 404
    assert signed_in.post(reverse("notifications:subscription_delete",
                                  args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.keywords == ["液冷"]
    assert list(other.keyword_index.values_list("keyword", flat=True)) == ["液冷"]
    listing = _page(signed_in.get(reverse("notifications:subscriptions")))
    assert "液冷" not in listing


def test_delete_own_subscription_after_confirming(signed_in, challenger):
    subscription = create_subscription(challenger, keywords=["液冷"])
    url = reverse("notifications:subscription_delete", args=[subscription.pk])

    assert "Delete" in _page(signed_in.get(url))
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    signed_in.post(url)

    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert not SubscriptionKeyword.objects.exists()


def test_delivery_choice_is_the_kinds_preference(signed_in, challenger):
    page = _page(signed_in.get(reverse("notifications:subscriptions")))
    assert 'value="digest" required id="id_mode_1" checked' in page  # the kind's default

    signed_in.post(reverse("notifications:subscription_delivery"), {"mode": "immediate"})

    assert NotificationPreference.objects.get(user=challenger, kind="demand.published").mode \
        == DeliveryMode.IMMEDIATE
    bad = signed_in.post(reverse("notifications:subscription_delivery"), {"mode": "sms"},
                         follow=True)
    assert "Choose how you want to receive new demands." in _page(bad)


def _queries_of_list(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("notifications:subscriptions")).status_code == 200
    return len(captured)


def test_subscription_list_costs_the_same_queries_for_one_or_three(signed_in, challenger,
                                                                   field):
    create_subscription(challenger, fields=[field], regions=["610000"])
    signed_in.get(reverse("notifications:subscriptions"))
    one = _queries_of_list(signed_in)
    create_subscription(challenger, fields=[field, IndustryFieldFactory()], keywords=["液冷"])
    create_subscription(challenger, regions=["320100"])

    assert _queries_of_list(signed_in) == one


# --- the ways in ------------------------------------------------------------------------------
def test_demand_list_invites_visitors_to_subscribe_and_announces_its_feeds(client):
    page = _page(client.get(reverse("demands:list")))

    assert (f'href="{reverse("account_signup")}?next=%2Fnotifications%2Fsubscriptions%2Fnew%2F"'
            in page)
    assert f'href="{reverse("account_login")}?next=' in page
    head = page.split("</head>")[0]
    assert (f'<link rel="alternate" type="application/rss+xml" title="Published demands (RSS)" '
            f'href="{reverse("demands:feed")}">') in head
    assert 'type="application/atom+xml"' in head and reverse("demands:feed_atom") in head


def test_demand_list_sends_signed_in_users_to_their_subscriptions(signed_in):
    page = _page(signed_in.get(reverse("demands:list")))

    assert reverse("account_signup") not in page.split('class="card push-cta"')[1]
    assert f'href="{reverse("notifications:subscriptions")}"' in page


def test_settings_and_workspace_lead_to_subscriptions(signed_in):
    subscriptions = reverse("notifications:subscriptions")

    assert f'href="{subscriptions}"' in _page(signed_in.get(reverse("notifications:preferences")))
    workspace = _page(signed_in.get(reverse("accounts:dashboard")))
    assert f'href="{subscriptions}"' in workspace
    assert reverse("notifications:webhooks") not in workspace


def test_torch_workspace_leads_to_webhooks(torch_client):
    workspace = _page(torch_client.get(reverse("accounts:dashboard")))

    assert f'href="{reverse("notifications:webhooks")}"' in workspace


# --- personal data and admin ------------------------------------------------------------------
def test_subscriptions_are_in_the_data_download_and_go_with_the_account(challenger, field):
    from accounts.privacy import erase_user, export_user_data

    create_subscription(challenger, fields=[field], regions=["610000"], keywords=["液冷"])
    create_subscription(UserFactory(), keywords=["别人的"])

    [exported] = export_user_data(challenger)["sections"]["demand_subscriptions"]
    assert (exported["industry_fields"], exported["regions"], exported["keywords"]) == (
        ["新能源汽车"], ["610000"], ["液冷"])

    erase_user(challenger)

    assert not Subscription.objects.filter(user=challenger).exists()
    assert Subscription.objects.count() == 1


def test_push_admin_is_for_torch_staff_only(torch_client, client, host_organiser, with_totp,
                                            challenger):
    create_subscription(challenger, keywords=["液冷"])
    pages = [reverse(f"admin:push_{model}_changelist")
             for model in ("subscription", "publicationpush", "webhook", "webhookdelivery")]
    for url in pages:
        assert torch_client.get(url).status_code == 200
    client.force_login(with_totp(host_organiser))
    for url in pages:
        assert client.get(url).status_code == 403
