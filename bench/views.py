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


REFERENCE_API_SQL = """
    SELECT public_snapshot, public_indexed_at
      FROM demands_demand
     WHERE status IN %s AND public_indexed_at IS NOT NULL
  ORDER BY published_at DESC, id DESC
     LIMIT %s
"""


def reference_api(request):
    """The API demand list's twin: the same page of snapshots from raw SQL, as JSON, without
    the framework, the serializer, the conditional headers or the cache."""
    import json

    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_API_SQL, [tuple(str(state) for state in PUBLIC_STATES),
                                           PAGE_SIZE])
        rows = cursor.fetchall()
    results = [{**(snapshot if isinstance(snapshot, dict) else json.loads(snapshot)),
                "updated_at": indexed_at.isoformat() if indexed_at else None}
               for snapshot, indexed_at in rows]
    return JsonResponse({"next": None, "results": results},
                        json_dumps_params={"ensure_ascii": False})


def bump_public_pages(request):
    """What a publish or an edit does to the public side's caches: the demands' namespace is
    bumped, so pages, counts and search windows are recomputed (``pages`` step, cold)."""
    from demands.public.cache import PUBLIC_PAGES

    PUBLIC_PAGES.bump()
    return HttpResponse("bumped", content_type="text/plain")
