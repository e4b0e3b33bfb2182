"""Who hears of a publication: field, region (with province and city prefixes) and keyword
subscribers, each once; nobody through a hidden value."""

import pytest

from demands.enums import HideableField
from notifications.enums import DeliveryMode
from push.fanout import fan_out
from tests.demands.public_support import *  # noqa: F403 (canary_demand and its fixtures)
from tests.demands.public_support import CANARIES, HIDDEN_PASSAGE, PASSAGE_PIECE
from tests.factories.contests import IndustryFieldFactory
from tests.factories.notifications import NotificationPreferenceFactory
from tests.push.push_support import notified_user_ids, published, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def battery():
    return IndustryFieldFactory(code="new-energy", name="新能源汽车")


@pytest.fixture
def demand(battery):
    # Xi'an, Yanta district; the factory's texts are about battery thermal management.
    return published(industry_field=battery, region="610113",
                     title="动力电池包热管理系统优化", keywords=["液冷", "动力电池"])


def test_publication_notifies_exactly_the_matching_subscribers(demand, battery):
    other_field = IndustryFieldFactory(code="bio", name="生物医药")
    by_field = subscriber(fields=[battery])
    by_region = subscriber(regions=["610113"])
    by_city = subscriber(regions=["610100"])
    by_province = subscriber(regions=["610000"])
    by_keyword = subscriber(keywords=["热管理"])
    by_short_word = subscriber(keywords=["电池"])
    three_ways = subscriber(fields=[battery], regions=["610000"], keywords=["液冷"])
    subscriber(fields=[other_field], regions=["320100", "610400"], keywords=["疫苗"])
    subscriber(regions=["620000"])  # another province
    subscriber(regions=["610104"])  # another district of the same city
    subscriber(fields=[battery], is_active=False)
    turned_off = subscriber(fields=[battery])
    NotificationPreferenceFactory(user=turned_off, kind="demand.published",
                                  mode=DeliveryMode.OFF)

    count = fan_out(demand.pk)

    expected = sorted(user.pk for user in (by_field, by_region, by_city, by_province,
                                           by_keyword, by_short_word, three_ways))
    assert notified_user_ids(demand) == expected
    assert count == len(expected)


def test_subscriber_with_several_matching_subscriptions_hears_once(demand, battery):
    user = subscriber(fields=[battery])
    from push.subscriptions import create_subscription

    create_subscription(user, regions=["610000"])
    create_subscription(user, keywords=["液冷", "热管理"])

    fan_out(demand.pk)

    assert notified_user_ids(demand) == [user.pk]


def test_keyword_must_occur_as_written_not_in_pieces(battery):
    # 热管 (heat pipe) and 管理 both occur, 热管理 does not.
    demand = published(industry_field=battery, region="110105",
                       title="热管散热器量产工艺", keywords=["热管"],
                       key_problem="生产线管理粗放，良率低。", current_base="已有热管产线。",
                       expected_outcome="良率提升。", challenger_conditions="",
                       time_requirement="一年")
    hears = subscriber(keywords=["热管"])
    subscriber(keywords=["热管理"])

    fan_out(demand.pk)

    assert notified_user_ids(demand) == [hears.pk]


def test_latin_keyword_matches_a_whole_word_only(battery):
    demand = published(industry_field=battery, region="110105", title="AIGC内容审核平台",
                       keywords=["AIGC"], key_problem="需要识别生成内容。")
    whole_word = subscriber(keywords=["aigc"])
    subscriber(keywords=["AI"])  # a piece of AIGC, not a word of the text

    fan_out(demand.pk)

    assert notified_user_ids(demand) == [whole_word.pk]


def test_hidden_values_never_make_a_subscriber_match(canary_demand):
    hidden_words = [PASSAGE_PIECE, HIDDEN_PASSAGE, "金丝雀", "CANARY1", "雀鸣远",
                    "canary-mail", "雁塔区金丝雀路"]
    for word in hidden_words:
        subscriber(keywords=[word])
    public_word = subscriber(keywords=["涂层"])

    fan_out(canary_demand.pk)

    assert notified_user_ids(canary_demand) == [public_word.pk]
    assert CANARIES[HideableField.ORGANISATION]  # the canary exists, so the miss means something


def test_demand_without_any_match_notifies_nobody(demand):
    subscriber(regions=["320100"], keywords=["疫苗"])

    assert fan_out(demand.pk) == 0
    assert notified_user_ids(demand) == []
