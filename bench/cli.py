"""``python -m bench [--scale full|small] [--only list,search,...]`` (``make bench``).

One run, on PostgreSQL, with gunicorn on loopback:

1. ``list``, ``search``: server time (p50/p95) of the public list, filtered list and search
   pages at 1k demands and at 100k (``--scale small``: 1k and 10k); goal: 100k ≤ 1.5× of 1k;
   warm and cold (right after a publish or edit) side by side for the list, ``state=open``,
   a region filter and search.
2. ``scan``: the portal's search against a plain ``icontains`` scan at the large scale
   (goal ≥ 10× faster) and its recall (every demand whose public text contains the query).
3. ``rps``: requests/s of the anonymous list (goal ≥ 1.0×) and the signed-in list (≥ 0.5×)
   against a raw-SQL plain-text view of the same rows, served by the same gunicorn.
4. ``import``: rows/s of a 10k-row standard-format import through the real import path
   against a plain ``bulk_create`` of the same rows (goal: within 5×).
5. ``fanout``: time to fan one publication out to 100k subscribers, each exactly once.
6. ``solutions``: the owner's solutions list and the comparison of four, p95 at 1M solutions
   against 10k (goal ≤ 1.5×; ``--solutions-small`` / ``--solutions-large``).
7. ``board``: the unanswered board of one host unit with 100k demands against its raw SQL
   (goal within 2×; ``--board-demands``).
8. ``dashboard``: the national dashboard over 100k demands, 1M solutions and 1M activity
   entries (the solutions' transition history), p50/p95 of the page against the same SQL alone
   (goal within 2×; ``--dashboard-demands``, ``--dashboard-solutions``,
   ``--dashboard-activity``; the data stays in the database for the next run).
9. ``rounds``: a live round's pages during scoring (judge's page, autosave, progress view,
    ranking), p95 at 1M score entries against 10k (goal ≤ 1.5×; ``--scores-small`` /
    ``--scores-large``).
10. ``load``: a mixed load driven by locust (``bench/locustfile.py``) on the large scale with
    the demo seeded on top: visitors, challengers signing in and submitting solutions with a
    file, owners comparing, judges scoring, host staff on their boards; requests/s,
    p50/p95/p99 and errors per request kind, each p95 against its idle p95 (goal < 4×, 0
    errors; ``--load-users``, ``--load-duration``, ``--load-idle``).
11. ``matching``: recommendations for published demands over an achievement library of 100k
    (kept in the database; ``--achievements``, ``--match-demands``) against a brute force
    with the same formula (goal ≥ 20× faster, the same top 10 on every demand).
12. ``achievement-import``: a 10k-row achievement file through the real import path against
    a bulk insert of the same rows (goal within 5×; ``--achievement-rows``).
"""

import argparse
import sys
import time
import traceback

from bench import config

STEPS = ("list", "search", "scan", "rps", "import", "fanout", "solutions", "board", "dashboard",
         "rounds", "matching", "achievement-import", "load")
SCALES = {"full": (1_000, 100_000), "small": (1_000, 10_000)}


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="full: 1k and 100k demands (default); small: 1k and 10k")
    parser.add_argument("--small", type=int, default=None,
                        help="demands at the small scale (overrides --scale)")
    parser.add_argument("--large", type=int, default=None,
                        help="demands at the large scale (overrides --scale)")
    parser.add_argument("--only", default=",".join(STEPS),
                        help=f"comma-separated steps to run, of {', '.join(STEPS)}")
    parser.add_argument("--iterations", type=int, default=200,
                        help="measured requests per page kind and scale (default 200)")
    parser.add_argument("--page-budget", type=float, default=90.0,
                        help="at most this many seconds per page kind and scale, once 20 "
                             "requests are measured (default 90)")
    parser.add_argument("--duration", type=float, default=10.0,
                        help="seconds of load per measurement in step 3 (default 10)")
    parser.add_argument("--connections", type=int, default=4,
                        help="concurrent connections in step 3 (default 4)")
    parser.add_argument("--import-rows", type=int, default=None,
                        help="rows of the import file (default 10,000; small scale 2,000)")
    parser.add_argument("--subscribers", type=int, default=None,
                        help="subscribers of the fan-out (default 100,000; small 10,000)")
    parser.add_argument("--solutions-small", type=int, default=10_000,
                        help="solutions in the database at the small scale of step 6")
    parser.add_argument("--solutions-large", type=int, default=None,
                        help="solutions at the large scale of step 6 (default 1,000,000; "
                             "small scale 100,000)")
    parser.add_argument("--board-demands", type=int, default=None,
                        help="demands of the one host unit in step 7 (default 100,000; small "
                             "scale 20,000)")
    parser.add_argument("--dashboard-demands", type=int, default=None,
                        help="demands of step 8 (default 100,000; small scale 10,000)")
    parser.add_argument("--dashboard-solutions", type=int, default=None,
                        help="solutions of step 8 (default 1,000,000; small scale 100,000)")
    parser.add_argument("--dashboard-activity", type=int, default=None,
                        help="activity entries (solution transitions) of step 8 (default "
                             "1,000,000; small scale 100,000)")
    parser.add_argument("--dashboard-breakdowns", default="host_unit,event,field,region,week",
                        help="breakdowns measured in step 8 (comma-separated)")
    parser.add_argument("--scores-small", type=int, default=10_000,
                        help="score entries in the database at the small scale of the rounds "
                             "step (default 10,000)")
    parser.add_argument("--scores-large", type=int, default=None,
                        help="score entries at its large scale (default 1,000,000; small "
                             "scale 100,000)")
    parser.add_argument("--achievements", type=int, default=None,
                        help="achievements of the library in the matching step (default "
                             "100,000; small scale 10,000), kept for the next run")
    parser.add_argument("--match-demands", type=int, default=50,
                        help="published demands ranked in the matching step (default 50)")
    parser.add_argument("--achievement-rows", type=int, default=None,
                        help="rows of the achievement import file (default 10,000; small "
                             "scale 2,000)")
    parser.add_argument("--load-users", type=int, default=40,
                        help="simulated people of the mixed load (step 10; default 40)")
    parser.add_argument("--load-duration", type=float, default=300.0,
                        help="seconds of the mixed load (default 300)")
    parser.add_argument("--load-idle", type=float, default=60.0,
                        help="seconds of the idle run before it, one person per journey "
                             "(default 60)")
    parser.add_argument("--load-workers", type=int, default=4,
                        help="gunicorn workers under the mixed load (default 4)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the demands afresh (by default a database that holds "
                             "exactly the generated demands a scale needs is reused)")
    parser.add_argument("--workers", type=int, default=2,
                        help="tokenising processes of the generator (default 2)")
    parser.add_argument("--database-url", default=None,
                        help=f"PostgreSQL URL (default $DATABASE_URL or "
                             f"{config.DEFAULT_DATABASE_URL})")
    parser.add_argument("--cache-url", default=None,
                        help=f"Redis URL of the cache (default $BENCH_CACHE_URL or "
                             f"{config.DEFAULT_CACHE_URL})")
    args = parser.parse_args(argv)
    steps = [step.strip() for step in args.only.split(",") if step.strip()]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps: {', '.join(unknown)} (choose from {', '.join(STEPS)})")
    args.steps = [step for step in STEPS if step in steps]
    return args


def log(message):
    # UTC: once Django is set up, the process's local time is the portal's TIME_ZONE.
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        env = config.environment(args.database_url, args.cache_url)
        created = config.ensure_database(env.database_url)
        config.flush_cache(env)
    except config.BenchConfigError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    log(f"database {env.database_name} ({'created' if created else 'existing'}), cache "
        f"{env.cache_url}, steps: {', '.join(args.steps)}, scale {args.scale}")
    config.apply(env)
    from bench.runner import Runner

    runner = Runner(args, env, log=log)
    try:
        runner.run()
    except Exception:
        traceback.print_exc()
        log("the run stopped early; partial results follow")
    print()
    print(runner.report.table())
    path = runner.report.save()
    print(f"\nSaved {path}")
    # A goal missed is a result (✗ in the table), not an error; a step that broke is.
    return 1 if runner.failed else 0
