"""On the LIKE fallback (SQLite), a match in the title proper ranks above a match in the
keywords only, whatever the dates."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from common.search.columns import index_columns
from demands.enums import DemandStatus
from demands.public import search
from demands.public.projection import public_demands
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.demands import DemandFactory


def test_the_title_column_keeps_the_title_on_its_first_line():
    columns = index_columns(["耐磨涂层工艺", "轴承", "润滑"], ["正文"])
    lead, others = columns["search_title"].split("\n")
    assert "涂层" in lead and "轴承" not in lead and "轴承" in others
    assert "\n" not in index_columns(["标题"], [])["search_title"]


def test_a_title_match_outranks_a_newer_keyword_only_match(host_unit):
    keyword_only = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                         title="轴承寿命预测", keywords=["涂层", "轴承"]))
    titled = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                   title="耐磨涂层工艺改进", keywords=["耐磨"],
                                   published_at=timezone.now() - timedelta(days=30)))
    found = list(search.search(public_demands(), "涂层").values_list("ref", flat=True))
    if connection.vendor == "postgresql":
        # Known gap (issue 12, left open): the stored tsvector of ``search_title`` holds the
        # keywords too, so PostgreSQL ranks a keyword-only match level with a title match and
        # the newer one comes first. A weighted tsvector (title A, keywords B) is the fix.
        assert sorted(found) == sorted([titled.ref, keyword_only.ref])
    else:
        assert found == [titled.ref, keyword_only.ref]
