"""``python -m bench.sizing``: the figures the README's production sizing is derived from.

In one process, against the benchmark's database (``DATABASE_URL``, e.g. the one ``make
bench`` built) and a Redis cache (``BENCH_CACHE_URL``), it builds public pages through Django's
test client with the page cache missed (a distinct ``_bench`` parameter each time) and reports,
per page kind, the wall time and the CPU time of this process (Python: views, ORM, templates)
per request. Their difference is time spent waiting (on PostgreSQL and Redis, and on a busy
machine on the CPU itself), which is what lets more workers than cores help. It also prints the
database's size and the demands' bytes per row, from which ``shared_buffers`` is sized.

CPU time per request is robust to a loaded machine; wall time is not (say the load average
with the figures).
"""

import argparse
import json
import os
import statistics
import time
from urllib.parse import urlencode

KINDS = {
    "list": ("/demands/", [{"page": p} for p in (1, 2, 3, 5, 10)]),
    "search": ("/demands/", [{"q": q} for q in ("电池", "芯片", "热管理", "视觉检测", "储能")]),
    "api list": ("/api/v1/demands/", [{}, {"state": "open"}, {"region": "610100"}]),
}


def _setup(cache_url):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "challenge_portal.settings")
    os.environ.update({"DEBUG": "false", "SECRET_KEY": "bench-sizing-only-" + "x" * 40,
                       "AUDIT_HMAC_KEY": "bench-sizing-audit-" + "y" * 40,
                       "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
                       "CACHE_URL": cache_url, "SESSION_COOKIE_SECURE": "false",
                       "CSRF_COOKIE_SECURE": "false"})
    import django

    django.setup()


def measure(requests):
    from django.test import Client

    client = Client()
    results = {}
    for kind, (base, params) in KINDS.items():
        for warm in range(3):
            client.get(base + "?" + urlencode({**params[0], "_bench": f"warm{warm}"}))
        walls, cpus = [], []
        for i in range(requests):
            path = base + "?" + urlencode({**params[i % len(params)], "_bench": i})
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")
        results[kind] = {"wall_ms_p50": round(statistics.median(walls) * 1000, 1),
                         "cpu_ms_p50": round(statistics.median(cpus) * 1000, 1),
                         "cpu_share": round(sum(cpus) / sum(walls), 2)}
    return results


def database_sizes():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), "
                       "pg_total_relation_size('demands_demand'), "
                       "(SELECT count(*) FROM demands_demand)")
        database, demands, count = cursor.fetchone()
    return {"database_mb": round(database / 2**20, 1), "demands": count,
            "demand_table_mb": round(demands / 2**20, 1),
            "bytes_per_demand": round(demands / max(count, 1))}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.sizing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=40, help="per page kind (default 40)")
    args = parser.parse_args(argv)
    _setup(os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"))
    out = {"load_average": os.getloadavg(), "cpus": os.cpu_count(),
           "pages": measure(args.requests), "database": database_sizes()}
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
