"""The reference the public list is measured against: the same rows (the newest page of
public demands) read with one raw SQL query and returned as plain text, with no ORM, no
template and no cache. It runs behind the same middleware as the portal's pages."""

from django.db import connection
from django.http import HttpResponse

from demands.public.projection import PUBLIC_STATES
from demands.public.views import PAGE_SIZE

REFERENCE_SQL = """
    SELECT ref, title, public_snapshot ->> 'public_name', public_snapshot ->> 'region_name',
           public_snapshot ->> 'industry_name', published_at
      FROM demands_demand
     WHERE status IN %s AND public_indexed_at IS NOT NULL
  ORDER BY published_at DESC, id DESC
     LIMIT %s
"""


def reference_list(request):
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, [tuple(str(state) for state in PUBLIC_STATES), PAGE_SIZE])
        rows = cursor.fetchall()
    body = "\n".join("\t".join("" if value is None else str(value) for value in row)
                     for row in rows)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
