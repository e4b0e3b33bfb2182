"""Chinese search over published demands: recall of 2-character words and phrases, ranking,
and the same behaviour on PostgreSQL (GIN + tsvector) and on the SQLite fallback (LIKE)."""

import pytest
from django.db import connection
from django.urls import reverse

from common.search import Phrase, bigrams, parse_query, tokens
from common.search import windows as search_windows
from demands.enums import DemandStatus
from demands.public import search
from demands.public.projection import public_demands
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db

# Texts where jieba does not cut out 电池 or 芯片 as words of their own, and ones where it does.
BATTERY_TEXTS = [
    "锂电池隔膜材料国产化",
    "蓄电池组热管理",
    "废旧动力电池回收利用",
    "固态电池电解质界面",
    "燃料电池双极板涂层",
    "电池包结构轻量化",
]
CHIP_TEXTS = [
    "车规级芯片封装测试",
    "芯片散热用高导热界面材料",
    "国产MCU芯片适配",
    "光芯片耦合工艺",
]
OTHER_TEXTS = ["高温合金叶片涂层", "农产品冷链物流追溯", "电力池塘养殖监测"]


def _demand(title, key_problem="开展技术攻关。", **kwargs):
    return publish(DemandFactory(title=title, key_problem=key_problem, keywords=["技术攻关"],
                                 current_base="", expected_outcome="形成解决方案。",
                                 challenger_conditions="", time_requirement="",
                                 status=DemandStatus.PUBLISHED, indicators=[], **kwargs))


@pytest.fixture
def corpus(db):
    """Titles with the words, and as many demands with them only in the body."""
    demands = {}
    for text in BATTERY_TEXTS + CHIP_TEXTS + OTHER_TEXTS:
        demands[text] = _demand(text)
    for text in BATTERY_TEXTS[:2] + CHIP_TEXTS[:2]:
        demands["body:" + text] = _demand("某项工艺改进", key_problem=f"需要解决{text}的问题。")
    return demands


def _refs(queryset):
    return sorted(demand.ref for demand in queryset)


def _expected(corpus, word):
    return sorted(demand.ref for key, demand in corpus.items() if word in key)


def _check_recall(corpus):
    for word in ("电池", "芯片"):
        found = search.search(public_demands(), word)
        assert _refs(found) == _expected(corpus, word), word


def test_two_character_words_find_every_demand_sqlite(corpus):
    if connection.vendor == "postgresql":
        pytest.skip("the LIKE fallback runs on SQLite")
    _check_recall(corpus)


def test_two_character_words_find_every_demand_postgresql(corpus, postgres):
    _check_recall(corpus)


def test_two_character_word_is_not_found_across_punctuation(db):
    across = _demand("电力设备", key_problem="储能电，池塘边的变电站。")
    inside = _demand("储能电池")

    assert list(search.search(public_demands(), "电池")) == [inside]
    assert across.pk != inside.pk


def test_quoted_phrase_finds_only_the_exact_phrase(db):
    phrase = _demand("隔膜材料国产化", key_problem="锂电池隔膜材料的孔隙率控制。")
    scattered = _demand("材料与隔膜", key_problem="隔膜和电池外壳材料。")

    for query in ('"电池隔膜"', "“电池隔膜”", "「电池隔膜」"):
        assert list(search.search(public_demands(), query)) == [phrase], query
    assert scattered.pk != phrase.pk


def test_unquoted_words_find_both_with_the_exact_phrase_first(db):
    phrase = _demand("隔膜材料国产化", key_problem="锂电池隔膜材料的孔隙率控制。")
    scattered = _demand("材料与隔膜", key_problem="隔膜和电池外壳材料。")

    assert list(search.search(public_demands(), "电池隔膜")) == [phrase, scattered]


def test_words_anywhere_match_when_jieba_separates_them(db):
    both = _demand("动力电池快充", key_problem="热管理与回收利用。")
    one = _demand("动力系统快充", key_problem="热管理。")

    found = search.search(public_demands(), "电池 回收")

    assert list(found) == [both]
    assert one.pk not in {demand.pk for demand in found}


def test_latin_words_are_found_case_insensitively(db):
    match = _demand("基于AI的视觉检测", key_problem="PLC控制系统改造。")
    _demand("机器视觉光源")

    assert list(search.search(public_demands(), "ai 视觉")) == [match]
    assert list(search.search(public_demands(), "plc")) == [match]


def test_single_character_query_finds_it_anywhere(db):
    end = _demand("储能用钒", key_problem="提高电解液稳定性。")
    middle = _demand("钒电池电解液")
    _demand("锂电池回收")

    assert _refs(search.search(public_demands(), "钒")) == sorted([end.ref, middle.ref])


def test_title_match_ranks_above_body_match(db):
    body = _demand("储能系统集成", key_problem="需要改进钠离子电池正极材料的循环寿命。")
    title = _demand("钠离子电池正极材料")

    found = list(search.search(public_demands(), "钠离子电池"))

    assert found == [title, body]


def test_title_match_ranks_above_body_match_postgresql(postgres):
    body = _demand("储能系统集成", key_problem="需要改进钠离子电池正极材料的循环寿命。")
    title = _demand("钠离子电池正极材料")

    assert list(search.search(public_demands(), "钠离子电池")) == [title, body]


@pytest.mark.parametrize("query", ["电池", "动力电池 回收"])
def test_match_is_served_by_the_gin_indexes_postgresql(postgres, query):
    from demands.models import Demand

    _demand("废旧动力电池回收利用")
    with connection.cursor() as cursor:
        # Few rows: let the planner choose only between the indexes that can answer the match.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")

    plan = search.search(Demand.objects.all(), query, rank_all=True).order_by().explain()

    assert "demand_search_tokens_vgin" in plan
    assert "demand_search_bigrams_vgin" in plan


def test_unpublished_demands_are_not_found(db):
    draft = DemandFactory(title="锂电池隔膜", status=DemandStatus.APPROVED)
    publish(_demand("钠电池"))
    from demands.public.projection import refresh_public_index

    refresh_public_index(draft)

    assert draft.pk not in {demand.pk for demand in search.search(public_demands(), "电池")}


def test_withdrawn_demand_leaves_the_index(db):
    from demands.public.projection import refresh_public_index

    demand = _demand("锂电池隔膜")
    demand.status = DemandStatus.WITHDRAWN
    demand.save(update_fields=["status"])
    refresh_public_index(demand)
    demand.refresh_from_db()

    assert list(search.search(public_demands(), "电池")) == []
    assert (demand.search_tokens, demand.search_bigrams, demand.public_snapshot) == ("", "", {})


def test_query_without_searchable_characters_matches_nothing(db):
    _demand("锂电池隔膜")

    assert list(search.search(public_demands(), "，。！？")) == []


def test_empty_query_keeps_the_queryset(db):
    demand = _demand("锂电池隔膜")

    assert list(search.search(public_demands(), "  ")) == [demand]


@pytest.mark.parametrize("query", ["'", "\\", "a & b | !c", "电池:*", "<->", "%", "_", "(芯片"])
def test_odd_queries_never_fail(db, client, query):
    _demand("锂电池芯片")

    response = client.get(reverse("demands:list"), {"q": query})

    assert response.status_code == 200


def test_tokens_and_bigrams_of_a_text():
    assert bigrams("锂电池，芯片") == ["锂电", "电池", "池", "芯片", "片"]
    assert "电池" in tokens("废旧动力电池回收")
    assert parse_query("ＡＩ 芯片").rest == Phrase(runs=("芯片",), words=("ai",))
    assert parse_query("“电池 隔膜” AI").quoted == (Phrase(("电池", "隔膜"), ()),)


# --- the newest matches, looked for in windows of recent demands -------------------------------
def _published_days_ago(title, days):
    from datetime import timedelta

    from django.utils import timezone

    demand = _demand(title)
    type(demand).objects.filter(pk=demand.pk).update(
        published_at=timezone.now() - timedelta(days=days))
    return demand


@pytest.mark.parametrize("sizes", [(), (2,), (3,), (1, 3), (2, 4, 5)])
def test_candidates_are_the_newest_matches_whatever_the_windows(sizes):
    from demands.models import Demand

    matching = [_published_days_ago(f"钠电池{n}", days=n) for n in range(6)]
    for n in range(6):
        _published_days_ago(f"芯片{n}", days=n)
    newest = Demand.objects.order_by("-published_at")
    windows = [(size, newest[size - 1].published_at) for size in sizes]
    windows.append((Demand.objects.count(), None))

    found = search.search(public_demands(), "电池", cap=3, windows=windows)

    assert {demand.pk for demand in found} == {demand.pk for demand in matching[:3]}


def test_sparse_matches_are_read_at_once(monkeypatch, django_assert_num_queries):
    from demands.models import Demand

    monkeypatch.setattr(search_windows, "READ_ALL_MATCHES", 100)
    _published_days_ago("钠电池", days=5)
    for n in range(8):
        _published_days_ago(f"芯片{n}", days=n)
    newest = Demand.objects.order_by("-published_at")
    windows = [(2, newest[1].published_at), (4, newest[3].published_at), (9, None)]
    matches = search.search(public_demands(), "电池", rank_all=True)

    # The first window holds none: at that density all matches are few, so the next query
    # reads them all instead of trying the next window.
    with django_assert_num_queries(2):
        found, window = search_windows.newest(matches, 3, windows)

    assert (len(found), window) == (1, 2)


def test_windows_are_skipped_when_postgresql_expects_few_matches_postgresql(postgres):
    _demand("动力电池热失控预警")
    found = search.search(public_demands(), "动力电池 热失控", rank_all=True)

    assert search_windows.expected_few(found, 100)
    assert not search_windows.expected_few(public_demands(), 0)
