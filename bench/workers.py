"""``python -m bench.workers [--workers 1,2,3,4,6] [--duration 15]``: how many gunicorn sync
workers this machine's cores need, measured rather than assumed.

Against the benchmark's large database (``make bench`` built it; ``DATABASE_URL``,
``BENCH_CACHE_URL``), gunicorn is started with each worker count in turn and loaded for
``--duration`` seconds by ``--connections`` clients with pages that miss the page cache (the
public list, its filters and search, each with a distinct ``_bench`` parameter, so every
request builds its page: the queries and the template, what costs CPU and waits on PostgreSQL
and Redis), then with the signed-in list (the body from the cache in the person's layout).
The table gives requests/s and p95 per worker count; the count to run is the smallest that
reaches 95% of the best throughput: beyond it, workers only queue. The README's "Running in
production" quotes this run.
"""

import argparse
import os
import time
from urllib.parse import urlencode

from bench import config
from bench.report import OUT_DIR

UNCACHED = [{"page": p} for p in (1, 2, 3)] + [
    {"state": "open"}, {"region": "610100"}, {"field": "new-energy"},
    {"q": "电池"}, {"q": "热管理"}, {"q": "视觉检测"}]


def uncached_paths(run, count=20_000):
    """Paths no earlier request asked for (``run`` tells the worker counts apart: a path of an
    earlier count's run would be served from the page cache)."""
    return ["/demands/?" + urlencode({**UNCACHED[i % len(UNCACHED)], "_bench": f"{run}-{i}"})
            for i in range(count)]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", default="1,2,3,4,6")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=12)
    args = parser.parse_args(argv)
    env = config.environment()
    config.flush_cache(env)
    config.apply(env)
    from bench import data
    from bench.client import load
    from bench.server import Gunicorn

    counts = [int(n) for n in args.workers.split(",")]
    cookie = data.reader_cookie()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results = {}
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
          f"{args.connections} clients, {args.duration:.0f} s per measurement", flush=True)
    for n in counts:
        with Gunicorn(env, workers=n, log_path=OUT_DIR / "gunicorn-workers.log") as server:
            load(server.port, "/demands/", connections=2, duration=2)  # warm the workers
            uncached = load(server.port, uncached_paths(f"w{n}"), connections=args.connections,
                            duration=args.duration)
            signed_in = load(server.port, "/demands/", connections=args.connections,
                             duration=args.duration, headers={"Cookie": cookie})
        results[n] = (uncached, signed_in)
        a, b = uncached.as_dict(), signed_in.as_dict()
        print(f"  {n} workers: uncached pages {uncached.rps:6.1f} req/s (p95 "
              f"{a['p95_ms']:6.0f} ms, {uncached.errors} errors); signed-in list "
              f"{signed_in.rps:6.1f} req/s (p95 {b['p95_ms']:5.0f} ms, "
              f"{signed_in.errors} errors)", flush=True)
        time.sleep(1)
    for kind, position in (("uncached pages", 0), ("signed-in list", 1)):
        best = max(result[position].rps for result in results.values())
        enough = min(n for n, result in results.items() if result[position].rps >= 0.95 * best)
        print(f"{kind}: best {best:.1f} req/s; {enough} workers reach 95% of it "
              f"({enough / os.cpu_count():.1f} per core)")


if __name__ == "__main__":
    main()
