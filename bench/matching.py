"""``python -m bench.matching [--achievements 100000] [--demands 50]``: recommendations for one
demand over a generated achievement library, against a brute force that scores every
achievement with the same formula, in one run (no database: the ranking is plain Python over
the stored terms, the same on SQLite and PostgreSQL).

1. Generate ``--achievements`` achievements (``matching.generators``) and analyse their texts
   as ``Achievement.match_terms`` is written (jieba, bigrams, the term table of the data file).
2. Generate ``--demands`` published-like demands (``demands.generators``) and analyse their
   public texts as ``MatchProfile`` is.
3. For each demand: the index's top 20 (public and staff rankings, as a refresh does) and the
   brute force's; p50/p95 of each, the ratio (goal ≥ 20×), and whether the top 10 agree on
   every demand (goal: all).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "challenge_portal.settings")
    import django

    django.setup()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def build(count, seed):
    from matching import ranking
    from matching.generators import achievements
    from matching.terms import TermTable, read_data_file

    table = TermTable(read_data_file())
    codes = ["new-energy", "next-generation-it", "new-materials", "high-end-equipment",
             "biotech", "energy-saving", "hard-tech", "dual-use", "regional-coordination"]
    index = ranking.Index()
    rng = random.Random(seed)
    for pk, item in enumerate(achievements(count, codes, seed=seed), start=1):
        analysed = ranking.analyse(ranking.achievement_parts(item["title"], item["keywords"],
                                                             item["abstract"]),
                                   table, item["field"])
        index.add(pk, analysed.stored(), field_id=item["field"],
                  region=rng.choice(["610100", "110000", "320115", "440300"]),
                  public=rng.random() > 0.1)
    return index, table, codes


def demands(count, seed, table, codes):
    from accounts.models import Organisation
    from demands.generators import FIELD_BANKS, Composer
    from matching import ranking

    rng = random.Random(seed + 1)
    composer = Composer(rng, now=datetime.now(UTC))
    organisation = Organisation(name="基准企业", kind="enterprise", region="610100")
    found = []
    for _ in range(count):
        code = rng.choice(codes)
        demand, indicators = composer.demand(bank_name=rng.choice(FIELD_BANKS[code]),
                                             organisation=organisation)
        snapshot = {"title": demand.title, "keywords": demand.keywords,
                    "key_problem": demand.key_problem,
                    "expected_outcome": demand.expected_outcome,
                    "current_base": demand.current_base,
                    "indicators": [{"name": row[0]} for row in indicators]}
        analysed = ranking.analyse(ranking.demand_parts(snapshot), table, code)
        found.append((analysed.terms, code, demand.region))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--achievements", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup()
    started = time.perf_counter()
    index, table, codes = build(args.achievements, args.seed)
    print(f"indexed {len(index)} achievements in {time.perf_counter() - started:.1f} s "
          f"({len(index.postings)} terms)", flush=True)
    queries = demands(args.demands, args.seed, table, codes)
    fast, slow, same = [], [], 0
    for terms, code, region in queries:
        options = dict(k=20, field_id=code, region=region)
        t0 = time.perf_counter()
        top = index.top(terms, **options)
        top_public = index.top(terms, public_only=True, **options)
        t1 = time.perf_counter()
        brute = index.brute_force(terms, **options)
        brute_public = index.brute_force(terms, public_only=True, **options)
        t2 = time.perf_counter()
        fast.append(t1 - t0)
        slow.append(t2 - t1)
        same += top[:10] == brute[:10] and top_public[:10] == brute_public[:10]
    p50, p95 = statistics.median(fast), percentile(fast, 0.95)
    b50, b95 = statistics.median(slow), percentile(slow, 0.95)
    print(f"recommendations for one demand over {len(index)} achievements "
          f"({len(queries)} demands):")
    print(f"  index:       p50 {p50 * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms")
    print(f"  brute force: p50 {b50 * 1000:8.1f} ms   p95 {b95 * 1000:8.1f} ms")
    print(f"  speed-up:    p50 {b50 / p50:6.1f}×   p95 {b95 / p95:6.1f}×   (goal ≥ 20×)")
    print(f"  same top-10 as the brute force: {same}/{len(queries)} demands (goal: all)")
    return 0 if same == len(queries) else 1


if __name__ == "__main__":
    sys.exit(main())
