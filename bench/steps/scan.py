"""Step 2: the portal's Chinese search against a plain ``icontains`` scan of the same data, and
its recall.

Both are evaluated as the list page evaluates a search: the candidates (for the portal), the
count and the first page of snapshots (``Paginator`` over ``values_list("public_snapshot")``),
in this process, against the same PostgreSQL database; the time is the median of several runs
after one warm-up.

Recall is checked against the truth computed in Python from every public projection (the
stored snapshots): a demand must be found when the query occurs in one of its public texts
(title, keywords, body, indicators), exactly as written. The portal's result is taken
without its candidate cap (the cap only limits how many matches are ranked and listed). The
scan runs over the model's text columns, as a naive implementation would, and so also finds
text the owner hid; those demands are counted and shown, as the reason a scan of the model is
no option.
"""

import statistics
import time

from django.core.paginator import Paginator
from django.db.models import Q

from bench.report import Row, at_least, ms, ratio_of
from common.search import normalise
from demands.public import search
from demands.public.projection import from_snapshot, public_demands
from demands.public.views import PAGE_SIZE

QUERIES = ["电池", "芯片", "热管理", "视觉检测", "储能", "碳纤维", "抗体", "余热回收"]
SPEEDUP_GOAL = 10.0
SCAN_FIELDS = ("title", "key_problem", "expected_outcome", "current_base",
               "challenger_conditions", "time_requirement", "keywords")


def portal_queryset(query):
    return search.search(public_demands(), query)


def scan_queryset(query):
    condition = Q()
    for name in SCAN_FIELDS:
        condition |= Q(**{f"{name}__icontains": query})
    return public_demands().filter(condition).order_by("-published_at", "-pk")


def _first_page(queryset):
    paginator = Paginator(queryset.values_list("public_snapshot", flat=True), PAGE_SIZE)
    page = paginator.get_page(1)
    rows = list(page.object_list)
    return paginator.count, rows


def _median_time(function, repeat):
    function()  # warm-up
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def truth(queries):
    """For each query, the pks of public demands whose public texts contain it."""
    found = {query: set() for query in queries}
    normalised = {query: normalise(query) for query in queries}
    rows = public_demands().values_list("pk", "public_snapshot")
    for pk, snapshot in rows.iterator(chunk_size=2000):
        title, body = from_snapshot(snapshot).search_texts()
        texts = [normalise(text) for text in (*title, *body) if text]
        for query, needle in normalised.items():
            if any(needle in text for text in texts):
                found[query].add(pk)
    return found


def run(report, *, repeat=3, log=print):
    started = time.perf_counter()
    expected = truth(QUERIES)
    log(f"  recall truth from {public_demands().count():,} projections in "
        f"{time.perf_counter() - started:.0f} s")
    details = {}
    speedups = []
    for query in QUERIES:
        portal_time, (portal_count, _rows) = _median_time(
            lambda q=query: _first_page(portal_queryset(q)), repeat)
        scan_time, (scan_count, _rows) = _median_time(
            lambda q=query: _first_page(scan_queryset(q)), repeat)
        # Every match (no cap), without ranking them: only the set matters here.
        found = set(search.search(public_demands(), query, rank_all=True).order_by()
                    .values_list("pk", flat=True))
        scanned = set(scan_queryset(query).values_list("pk", flat=True))
        truth_set = expected[query]
        recall = len(found & truth_set) / len(truth_set) if truth_set else 1.0
        extra = len(found - truth_set)
        hidden_hits = len(scanned - truth_set)
        speedup = ratio_of(scan_time, portal_time)
        speedups.append(speedup)
        details[query] = {
            "portal_ms": portal_time * 1000, "scan_ms": scan_time * 1000,
            "speedup": speedup, "truth": len(truth_set), "found": len(found),
            "recall": recall, "found_not_in_text": extra, "page_count": portal_count,
            "scan_count": scan_count, "scan_hits_only_in_hidden_text": hidden_hits,
        }
        log(f"  {query}: portal {portal_time * 1000:.1f} ms, scan {scan_time * 1000:.1f} ms, "
            f"recall {recall:.4f} ({len(found & truth_set)}/{len(truth_set)})")
        note = (f"{len(truth_set):,} demands contain it; found {len(found):,} "
                f"(+{extra} by tokens); scan also hits {hidden_hits} by hidden text")
        report.add(Row(step="2", name=f"search {query} vs icontains", value=ms(portal_time),
                       reference=ms(scan_time), ratio=speedup, goal=f"≥ {SPEEDUP_GOAL:.0f}× faster",
                       ok=at_least(speedup, SPEEDUP_GOAL), note=note))
        report.add(Row(step="2", name=f"recall {query}",
                       value=f"{len(found & truth_set):,}/{len(truth_set):,}",
                       reference="public text", ratio=recall, goal="1.00× (every one)",
                       ok=recall == 1.0))
    report.details["scan"] = {
        "queries": details, "repeat": repeat, "scan_fields": SCAN_FIELDS,
        "median_speedup": statistics.median([s for s in speedups if s]),
        "method": "count + first page of snapshots, as the list page; median of runs",
    }
