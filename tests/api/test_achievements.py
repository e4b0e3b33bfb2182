"""Public achievements in the open-data API: only public ones, only what the public page shows,
filters of the library page, the term table's search, cursors, 304s, updated_since, throttling,
keys and JSON 404s."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind
from api.services import issue_key
from matching.enums import Visibility
from matching.models import Achievement
from matching.services.library import index_fields, update_achievement
from matching.services.terms import load_data_file
from tests.factories.accounts import OrganisationFactory
from tests.factories.contests import IndustryFieldFactory

LIST = "/api/v1/achievements/"
STAFF_TITLE = "功率模块热阻内部测试方法"
STAFF_HOLDER = "保密功率研究所"


def _json(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _achievement(owner, field_, *, title, listed_at, **values):
    values = {"trl": 6, "region": "610100", "abstract": f"{title}的摘要。",
              "keywords": [], **values}
    row = Achievement(owner=owner, industry_field=field_, title=title, listed_at=listed_at,
                      **values)
    index_fields(row)
    row.save()
    return row


@pytest.fixture
def library(db):
    """Three public achievements, oldest first, and a staff-only one listed last."""
    load_data_file()  # the term table (IGBT ↔ 绝缘栅双极型晶体管)
    power = IndustryFieldFactory(code="next-generation-it", name="新一代信息技术产业")
    materials = IndustryFieldFactory(code="new-materials", name="新材料产业")
    holder = OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name="功率电子大学")
    secret = OrganisationFactory(kind=OrganisationKind.INSTITUTE, name=STAFF_HOLDER)
    start = timezone.now() - timedelta(hours=1)
    rows = {
        "igbt": _achievement(holder, power, title="绝缘栅双极型晶体管双面冷却封装",
                             keywords=["功率模块", "热阻"], trl=7,
                             cooperation_modes=["license"], listed_at=start),
        "coating": _achievement(holder, materials, title="热障涂层长寿命粘结层技术",
                                region="440300", trl=4, cooperation_modes=["transfer"],
                                listed_at=start + timedelta(minutes=1)),
        "led": _achievement(holder, power, title="LED灯具散热外壳", trl=5,
                            listed_at=start + timedelta(minutes=2)),
    }
    rows["staff"] = _achievement(secret, power, title=STAFF_TITLE,
                                 abstract="IGBT功率模块结壳热阻的内部测试方法。",
                                 keywords=["IGBT", "热阻"], visibility=Visibility.STAFF,
                                 listed_at=start + timedelta(minutes=3))
    return rows


def _ids(response):
    return [row["id"] for row in _json(response)["results"]]


def test_only_public_achievements_newest_first_paged_by_cursor(client, library):
    first = _json(client.get(LIST, {"limit": 2}))
    assert [row["id"] for row in first["results"]] == [library["led"].pk,
                                                       library["coating"].pk]
    second = _json(client.get(first["next"]))
    assert [row["id"] for row in second["results"]] == [library["igbt"].pk]
    assert second["next"] is None


def test_an_answer_holds_what_the_public_page_shows_and_nothing_staff_only(client, library):
    igbt = library["igbt"]
    row = _json(client.get(f"{LIST}{igbt.pk}/"))
    assert set(row) == {"id", "url", "api_url", "title", "abstract", "holder_name",
                        "industry_code", "industry_name", "trl", "keywords", "patent_numbers",
                        "region_code", "region_name", "cooperation_modes", "listed_at",
                        "updated_at"}
    assert row["holder_name"] == "功率电子大学" and row["trl"] == 7
    assert row["cooperation_modes"] == ["license"] and row["region_name"]
    assert row["url"].endswith(igbt.get_absolute_url())
    assert row["api_url"].endswith(f"{LIST}{igbt.pk}/")
    page = client.get(igbt.get_absolute_url()).content.decode()
    for name in ("title", "holder_name", "industry_name", "region_code"):
        assert str(row[name]) in page, name


def test_a_staff_only_or_unknown_achievement_is_a_json_404(client, library):
    for pk in (library["staff"].pk, 999999):
        response = client.get(f"{LIST}{pk}/")
        assert response.status_code == 404
        assert "detail" in _json(response)
    assert client.get(f"{LIST}nope/").status_code == 404


def test_the_staff_only_achievement_is_never_listed_or_found(client, library):
    texts = [client.get(LIST).content.decode()]
    for query in (STAFF_TITLE, "IGBT", "内部测试", STAFF_HOLDER):
        texts.append(client.get(LIST, {"q": query}).content.decode())
    texts.append(client.get(LIST, {"updated_since": "2000-01-01"}).content.decode())
    for text in texts:
        assert STAFF_TITLE not in text and STAFF_HOLDER not in text


def test_filters_are_the_library_pages(client, library):
    assert set(_ids(client.get(LIST, {"field": "new-materials"}))) == {library["coating"].pk}
    assert set(_ids(client.get(LIST, {"region": "44"}))) == {library["coating"].pk}
    assert set(_ids(client.get(LIST, {"trl": "6"}))) == {library["igbt"].pk}
    assert set(_ids(client.get(LIST, {"mode": "transfer"}))) == {library["coating"].pk}
    for params in ({"trl": "12"}, {"mode": "maybe"}, {"field": "nowhere"}, {"limit": "0"},
                   {"cursor": "!!!"}, {"updated_since": "yesterday"}):
        response = client.get(LIST, params)
        assert response.status_code == 400, params
        assert _json(response)


def test_q_expands_abbreviations_with_the_term_table(client, library):
    assert _ids(client.get(LIST, {"q": "IGBT"})) == [library["igbt"].pk]
    assert _ids(client.get(LIST, {"q": "涂层"})) == [library["coating"].pk]


def test_etag_and_last_modified_answer_304_until_an_achievement_changes(
        client, library, torch_staff, django_capture_on_commit_callbacks):
    response = client.get(LIST)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    led = library["led"]
    led.title = "LED灯具压铸散热外壳"
    with django_capture_on_commit_callbacks(execute=True):
        update_achievement(led, actor=torch_staff)
    fresh = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert _json(fresh)["results"][0]["title"] == "LED灯具压铸散热外壳"


def test_updated_since_returns_what_changed_oldest_change_first(
        client, library, torch_staff, django_capture_on_commit_callbacks):
    cut = timezone.now()
    igbt = library["igbt"]
    with django_capture_on_commit_callbacks(execute=True):
        update_achievement(igbt, actor=torch_staff)
    assert _ids(client.get(LIST, {"updated_since": cut.isoformat()})) == [igbt.pk]
    everything = _json(client.get(LIST, {"updated_since": "2000-01-01"}))["results"]
    assert len(everything) == 3
    stamps = [row["updated_at"] for row in everything]
    assert stamps == sorted(stamps)


def test_throttled_per_address_and_a_key_raises_the_limit(client, settings, library,
                                                          torch_staff):
    settings.API_ANONYMOUS_RATE = "2/min"
    for _ in range(2):
        assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 429
    _key, raw = issue_key(actor=torch_staff, partner="科技日报", rate_per_minute=5)
    assert client.get(LIST, HTTP_X_API_KEY=raw).status_code == 200
    assert client.get(LIST, HTTP_X_API_KEY="cp_nope").status_code == 401


def test_read_only(client, library):
    assert client.post(LIST, {}).status_code == 405
