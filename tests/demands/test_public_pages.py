"""The public list and detail pages: what they show, filters, query counts and the anonymous
page cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demands.enums import CooperationMode, DemandStatus
from demands.public.projection import refresh_public_index
from demands.services.national import set_national
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import PUBLIC_NAME, publish
from tests.factories.contests import HostUnitFactory, IndustryFieldFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


def _published(**kwargs):
    """A published demand; its texts mention nothing but its title (the factory's default
    keywords and problem statement would match searches for 电池)."""
    kwargs.setdefault("status", DemandStatus.PUBLISHED)
    kwargs.setdefault("keywords", ["技术攻关"])
    kwargs.setdefault("key_problem", "开展技术攻关。")
    kwargs.setdefault("current_base", "")
    kwargs.setdefault("challenger_conditions", "")
    kwargs.setdefault("indicators", [])
    return publish(DemandFactory(**kwargs))


def _titles(response):
    return [row.title for row in response.context["rows"]] if response.context else []


# --- what is public ---------------------------------------------------------------------------
@pytest.mark.parametrize("status", [DemandStatus.DRAFT, DemandStatus.SUBMITTED,
                                    DemandStatus.IN_ANALYSIS, DemandStatus.RETURNED,
                                    DemandStatus.APPROVED, DemandStatus.REJECTED,
                                    DemandStatus.WITHDRAWN])
def test_unpublished_demand_is_on_no_public_page(client, status):
    demand = DemandFactory(status=status, title="未公开的储能需求")
    refresh_public_index(demand)

    listing = client.get(reverse("demands:list"))
    detail = client.get(reverse("demands:detail", kwargs={"ref": demand.ref}))

    assert "未公开的储能需求" not in listing.content.decode()
    assert detail.status_code == 404


def test_published_and_closed_demands_are_listed_newest_first(client):
    closed = _published(title="已关闭需求", status=DemandStatus.CLOSED)
    open_ = _published(title="征集中需求")

    response = client.get(reverse("demands:list"))

    assert _titles(response) == [open_.title, closed.title]


def test_list_rows_come_from_the_stored_projection(client):
    demand = _published(title="原始标题")
    # A change that did not go through refresh_public_index is not public yet.
    type(demand).objects.filter(pk=demand.pk).update(title="未刷新的新标题")

    page = client.get(reverse("demands:list")).content.decode()

    assert "原始标题" in page
    assert "未刷新的新标题" not in page


def test_templates_never_receive_the_model(client):
    from demands.models import Demand

    demand = _published()
    for url in (reverse("demands:list"), demand.get_absolute_url()):
        response = client.get(url)
        for context in response.context:
            for value in context.flatten().values():
                assert not isinstance(value, Demand), url


def test_detail_shows_public_wording_and_substitute_name(client, new_materials):
    demand = _published(title="原标题", industry_field=new_materials, region="610100",
                        hidden_fields=["organisation"],
                        public_wording={"title": "更清楚的公开标题"})

    page = client.get(demand.get_absolute_url()).content.decode()

    assert "更清楚的公开标题" in page
    assert "原标题" not in page
    assert PUBLIC_NAME in page


# --- filters ----------------------------------------------------------------------------------
def test_filters_narrow_the_list(client):
    battery = IndustryFieldFactory(code="new-energy", name="新能源产业")
    host = HostUnitFactory(slug="xian-host")
    wanted = _published(title="目标需求", industry_field=battery, host_unit=host,
                        region="610113", cooperation_modes=[CooperationMode.TRANSFER])
    _published(title="其他领域", industry_field=IndustryFieldFactory(), host_unit=host,
               region="610113", cooperation_modes=[CooperationMode.TRANSFER])
    _published(title="其他地区", industry_field=battery, host_unit=host, region="440100",
               cooperation_modes=[CooperationMode.TRANSFER])
    _published(title="其他方式", industry_field=battery, host_unit=host, region="610113",
               cooperation_modes=[CooperationMode.JOINT])
    _published(title="其他承办单位", industry_field=battery, region="610113",
               cooperation_modes=[CooperationMode.TRANSFER])

    response = client.get(reverse("demands:list"), {
        "field": "new-energy", "host": "xian-host", "region": "610000",
        "mode": CooperationMode.TRANSFER, "event": host.event.number, "state": "open",
    })

    assert _titles(response) == [wanted.title]


@pytest.mark.parametrize(("region", "expected"), [("610000", ["西安高新", "西安市区"]),
                                                  ("610100", ["西安高新", "西安市区"]),
                                                  ("610113", ["西安高新"]),
                                                  ("440000", ["广州"])])
def test_region_filter_takes_province_city_or_district(client, region, expected):
    _published(title="西安高新", region="610113")
    _published(title="西安市区", region="610100")
    _published(title="广州", region="440100")

    response = client.get(reverse("demands:list"), {"region": region})

    assert sorted(_titles(response)) == sorted(expected)


def test_open_and_closed_filter(client):
    _published(title="征集中")
    _published(title="已关闭", status=DemandStatus.CLOSED)

    assert _titles(client.get(reverse("demands:list"), {"state": "open"})) == ["征集中"]
    assert _titles(client.get(reverse("demands:list"), {"state": "closed"})) == ["已关闭"]


def test_invalid_filters_are_ignored_not_fatal(client):
    demand = _published()

    response = client.get(reverse("demands:list"), {"event": "x", "field": "<script>",
                                                    "region": "99", "page": "-3",
                                                    "mode": "barter", "state": "maybe"})

    assert response.status_code == 200
    assert _titles(response) == [demand.title]
    assert "<script>" not in response.content.decode()


def test_search_ranks_title_matches_first_on_the_page(client):
    body = _published(title="储能系统集成", key_problem="需要改进钠离子电池正极材料。")
    title = _published(title="钠离子电池正极材料")

    response = client.get(reverse("demands:list"), {"q": "钠离子电池"})

    assert _titles(response) == [title.title, body.title]


def test_list_paginates(client):
    for n in range(23):
        _published(title=f"需求{n:02d}")

    first = client.get(reverse("demands:list"))
    second = client.get(reverse("demands:list"), {"page": 2})

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 3
    assert 'page=2' in first.content.decode()


# --- query counts -----------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        _published()

    with django_assert_num_queries(6):
        response = client.get(reverse("demands:list"))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_search_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        _published(title="锂电池隔膜")

    # contest, 3 filter choice lists, the search windows (3), the newest matches and title
    # matches, the count of ranked ones and the page.
    with django_assert_num_queries(11):
        response = client.get(reverse("demands:list"), {"q": "电池"})

    assert len(response.context["rows"]) == count


def test_counts_and_choices_are_cached_until_something_public_changes(
        client, django_assert_num_queries):
    _published(title="锂电池隔膜")
    client.get(reverse("demands:list"), {"state": "open", "_": "1"})

    # The page and its body missed (another path); the contest and the rows only.
    with django_assert_num_queries(2):
        client.get(reverse("demands:list"), {"state": "open", "_": "2"})
    _published(title="钠电池")
    response = client.get(reverse("demands:list"), {"state": "open", "_": "3"})

    assert response.context["page_obj"].paginator.count == 2


def test_broad_search_says_it_lists_only_the_best_of_the_newest(client, monkeypatch):
    from demands.public import search

    monkeypatch.setattr(search, "CANDIDATE_CAP", 2)
    for n in range(5):
        _published(title=f"电池{n}")
    _published(title="隔膜")

    page = client.get(reverse("demands:list"), {"q": "电池"}, HTTP_ACCEPT_LANGUAGE="en")
    few = client.get(reverse("demands:list"), {"q": "隔膜"}, HTTP_ACCEPT_LANGUAGE="en")

    assert len(page.context["rows"]) == 2
    assert "At least 2 demands match “电池”" in page.content.decode()
    assert "1 demand matches “隔膜”" in few.content.decode()


# --- the anonymous page cache ------------------------------------------------------------------
def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    return response, len(captured)


@pytest.mark.parametrize("page", ["list", "detail"])
def test_anonymous_second_request_is_served_from_cache(client, page):
    demand = _published(title="缓存的需求")
    url = reverse("demands:list") if page == "list" else demand.get_absolute_url()

    first, first_queries = _queries(client, url)
    second, second_queries = _queries(client, url)

    assert first_queries > 0
    assert second_queries == 0
    assert "缓存的需求" in second.content.decode()


@pytest.mark.parametrize("page", ["list", "detail"])
def test_cache_is_invalidated_when_a_demand_changes(client, page, torch_staff,
                                                   django_capture_on_commit_callbacks):
    demand = _published(title="旧标题")
    url = reverse("demands:list") if page == "list" else demand.get_absolute_url()
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        demand.public_wording = {"title": "新公开标题"}
        demand.save(update_fields=["public_wording"])
        refresh_public_index(demand)
    after_change = client.get(url).content.decode()

    assert "新公开标题" in after_change
    assert "旧标题" not in after_change


def test_cache_is_dropped_only_after_the_change_commits(client,
                                                       django_capture_on_commit_callbacks):
    demand = _published(title="旧标题")
    client.get(reverse("demands:list"))

    with django_capture_on_commit_callbacks() as callbacks:
        demand.public_wording = {"title": "新公开标题"}
        demand.save(update_fields=["public_wording"])
        refresh_public_index(demand)
        inside = client.get(reverse("demands:list")).content.decode()
    assert "旧标题" in inside  # the version is not bumped inside the transaction
    for callback in callbacks:
        callback()

    assert "新公开标题" in client.get(reverse("demands:list")).content.decode()


def test_cache_is_invalidated_when_a_demand_is_published(client):
    client.get(reverse("demands:list"))
    _published(title="刚发布的需求")

    assert "刚发布的需求" in client.get(reverse("demands:list")).content.decode()


def test_cache_is_invalidated_when_marked_national(client, torch_staff,
                                                   django_capture_on_commit_callbacks):
    demand = _published()
    before = client.get(demand.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        set_national(demand, actor=torch_staff)
    after = client.get(demand.get_absolute_url()).content.decode()

    assert "Published nationally" not in before
    assert "Published nationally" in after


def test_cache_key_includes_query_string(client):
    _published(title="锂电池隔膜")
    _published(title="芯片封装")

    battery = client.get(reverse("demands:list"), {"q": "电池"}).content.decode()
    chips = client.get(reverse("demands:list"), {"q": "芯片"}).content.decode()

    assert "锂电池隔膜" in battery and "芯片封装" not in battery
    assert "芯片封装" in chips and "锂电池隔膜" not in chips


def test_cache_key_includes_language_path_and_version(rf):
    from django.utils import translation

    from demands.public.cache import PUBLIC_PAGES

    def key(path, language):
        with translation.override(language):
            return PUBLIC_PAGES.page_key(rf.get(path), "list")

    zh = key("/demands/?q=电池", "zh-hans")
    assert zh != key("/demands/?q=电池", "en")
    assert zh != key("/demands/?q=芯片", "zh-hans")
    assert zh == key("/demands/?q=电池", "zh-hans")
    PUBLIC_PAGES.bump()
    assert zh != key("/demands/?q=电池", "zh-hans")


def test_signed_in_users_get_the_shared_body_in_their_own_layout(client, stranger):
    demand = _published(title="共享的正文")
    client.get(reverse("demands:list"))  # an anonymous visitor fills the cache
    client.force_login(stranger)

    page = client.get(reverse("demands:list")).content.decode()

    assert "共享的正文" in page
    assert stranger.get_short_name() in page
    assert "csrfmiddlewaretoken" in page  # their own sign-out form
    refresh_public_index(demand)  # nothing public changed, but the version moved on
    assert "共享的正文" in client.get(reverse("demands:list")).content.decode()


def _cached_page_of(rf, path, page):
    from django.utils import translation

    from demands.public.cache import PUBLIC_PAGES

    with translation.override("en"):
        return cache.get(PUBLIC_PAGES.page_key(rf.get(path), page, level="page"))


def test_cached_page_holds_no_csrf_token_or_message(client, rf):
    demand = _published()
    client.get(demand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    client.get(reverse("demands:list"), HTTP_ACCEPT_LANGUAGE="en")

    cached = [_cached_page_of(rf, demand.get_absolute_url(), "detail"),
              _cached_page_of(rf, reverse("demands:list"), "list")]

    assert all(cached), "nothing was cached"
    assert demand.title in cached[0][0].decode()
    for content, _content_type in cached:
        assert "csrfmiddlewaretoken" not in content.decode()
        assert 'class="messages"' not in content.decode()


def test_language_switch_works_from_a_cached_page_without_a_token():
    from django.test import Client

    demand = _published()
    first, second = (Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en"),
                     Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en"))
    first.get(demand.get_absolute_url())

    for visitor in (first, second):
        assert "csrfmiddlewaretoken" not in visitor.get(demand.get_absolute_url()).content.decode()
        switched = visitor.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        assert switched.status_code == 302
        assert switched.cookies["django_language"].value == "zh-hans"


def test_a_page_that_asked_for_a_csrf_token_is_not_cached(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from demands.public.cache import PUBLIC_PAGES

    calls = []

    @PUBLIC_PAGES.anonymous_page("test")
    def view(request):
        calls.append(1)
        return HttpResponse(get_token(request))

    def request():
        made = rf.get("/somewhere/")
        made.user, made.session = AnonymousUser(), SessionStore()
        made._messages = FallbackStorage(made)
        return made

    view(request())
    view(request())

    assert len(calls) == 2


def test_message_after_sign_out_is_not_cached_for_others(client, stranger):
    from django.test import Client

    demand = _published()
    client.force_login(stranger)
    client.post(reverse("account_logout"))
    first = client.get(demand.get_absolute_url()).content.decode()
    other = Client(HTTP_ACCEPT_LANGUAGE="en").get(demand.get_absolute_url()).content.decode()

    assert 'class="messages"' in first
    assert 'class="messages"' not in other


# --- reachable from the interface -------------------------------------------------------------
def test_main_navigation_links_to_the_demand_list(client):
    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("demands:list")}"' in page


def test_search_download_holds_every_match_not_only_the_listed(client, monkeypatch):
    from demands.public import search

    monkeypatch.setattr(search, "CANDIDATE_CAP", 2)
    for n in range(4):
        _published(title=f"电池{n}")

    listed = client.get(reverse("demands:list"), {"q": "电池"})
    download = b"".join(client.get(reverse("demands:export"), {"q": "电池"}).streaming_content)

    assert len(listed.context["rows"]) == 2
    assert all(f"电池{n}" in download.decode("utf-8-sig") for n in range(4))


def test_a_count_a_moment_old_never_hides_a_new_demand(client):
    """Right after a publish the list may be told the previous count (recomputed after the
    response); its rows are not cut by it, and the rows correct the count shown."""
    client.get(reverse("demands:list"), {"_": "1"})  # counted: none
    _published(title="刚发布的需求")
    response = client.get(reverse("demands:list"), {"_": "2"})
    assert [row.title for row in response.context["rows"]] == ["刚发布的需求"]
    assert response.context["page_obj"].paginator.count == 1
