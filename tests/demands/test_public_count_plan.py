"""After every publish the public list recounts its filtered totals. Those counts read only the
public demands' index (which carries the filtered columns), however many demands the table
holds that the public never sees: drafts, demands in analysis, returned ones."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from demands.enums import DemandStatus
from demands.models import Demand
from demands.public import views
from tests.demands.public_support import publish
from tests.factories.demands import DemandFactory

# Committed rows and a vacuumed table, as in production (the visibility map is what lets a
# count answer from the index alone).
pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC, HIDDEN = 400, 4000


def _copies(template, n, label):
    """``n`` copies of ``template``'s row, written by one INSERT … SELECT."""
    columns = [field.column for field in Demand._meta.concrete_fields
               if field.column != "id" and not getattr(field, "generated", False)]
    select = [f"'{label}-' || n" if column == "ref" else f't."{column}"' for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO demands_demand ({', '.join(map(connection.ops.quote_name, columns))}) "
            f"SELECT {', '.join(select)} FROM demands_demand t "
            f"CROSS JOIN generate_series(1, %s) AS n WHERE t.id = %s", [n, template.pk])


@pytest.mark.parametrize("query", ["state=open", "state=closed", "region=610100",
                                   "mode=joint"])
def test_filtered_public_counts_read_only_the_public_index(postgres, query):
    shown = publish(DemandFactory(region="610113", cooperation_modes=["joint"]))
    _copies(shown, PUBLIC, "P")
    _copies(DemandFactory(status=DemandStatus.IN_ANALYSIS, region="610113",
                          cooperation_modes=["joint"]), HIDDEN, "H")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE demands_demand")

    form, queryset, _query = views._filtered(RequestFactory().get(f"/demands/?{query}"))
    assert form.is_valid()
    with CaptureQueriesContext(connection) as captured:
        queryset.count()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan using demand_public_newest" in plan, plan
    assert "Seq Scan" not in plan and "Heap Scan" not in plan, plan
