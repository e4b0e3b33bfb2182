"""A match in the title proper ranks above a match in the keywords only, whatever the dates:
on PostgreSQL by the stored title vector's weights (title A, keywords B), on the LIKE fallback
(SQLite) by the title column's first line."""

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
    assert found == [titled.ref, keyword_only.ref]


def test_the_stored_title_vector_weighs_the_title_above_the_keywords(host_unit):
    if connection.vendor != "postgresql":
        return  # the vectors are PostgreSQL's; elsewhere they stay empty
    demand = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                   title="耐磨涂层工艺", keywords=["轴承"]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_title_vector::text FROM demands_demand WHERE id = %s",
                       [demand.pk])
        vector = cursor.fetchone()[0]
    assert "'涂层':" in vector and "'轴承':" in vector
    weights = dict(item.split(":") for item in vector.split())
    assert weights["'涂层'"].endswith("A") and weights["'轴承'"].endswith("B")
