"""Step 1: server time of the public list and search pages at two scales.

Sequential requests from one client on loopback, after a warm-up; the time is from sending the
request to having read the whole response. Anonymous visitors normally get the list body from
the page cache, so every measured request carries a distinct, otherwise ignored ``_bench``
parameter: the cache keys of the whole page and of its body differ and the page is built
(queries, template) each time, which is what grows with the data. The list's counts and the
filter choices are cached per set of filters until anything public changes, and so stay cached
here as they do in production (the *warm* figures). The *cold* figures are of the same pages
right after a publish or an edit: before each measured request the demands' namespace of the
page cache is bumped (``/bench/bump/``, unmeasured), so the page, its count and the search
windows are all dropped, as after every change. (Signed-in pages are measured in step 3.)
"""

from urllib.parse import urlencode

from bench.client import time_sequential
from bench.report import Row, at_most, ms, ratio_of

LIST_PARAMS = [{"page": page} for page in (1, 2, 3, 5, 10)]
FILTER_PARAMS = [{"field": "new-energy"}, {"state": "open"}, {"region": "610100"},
                 {"mode": "joint"}, {"event": 7}]
QUERIES = ["电池", "芯片", "热管理", "视觉检测", "储能", "碳纤维", "工业机器人", "抗体",
           "余热回收", "动力电池 热失控"]
# The open-data API's demand list (anonymous), first page of each filter.
API_PARAMS = [{}, {"state": "open"}, {"field": "new-energy"}, {"region": "610100"},
              {"mode": "joint"}]
GOAL = 1.5
# Warm and cold side by side: the list, state=open, a region filter and search.
COLD_KINDS = {
    "list": [{}],
    "state=open": [{"state": "open"}],
    "region": [{"region": "610100"}],
    "search": [{"q": query} for query in QUERIES],
}
BUMP = "/bench/bump/"


def _paths(params, base="/demands/"):
    def path(i):
        return base + "?" + urlencode({**params[i % len(params)], "_bench": i})

    return path


def measure(port, *, iterations, budget):
    """Timings of the three kinds of page at the current scale: ``iterations`` requests of
    each, or as many as fit in ``budget`` seconds (at least 20)."""
    searches = [{"q": query} for query in QUERIES]
    kinds = {"list": LIST_PARAMS, "filtered list": FILTER_PARAMS, "search": searches}
    timings = {kind: time_sequential(port, _paths(params), iterations=iterations, budget=budget)
               for kind, params in kinds.items()}
    timings["api list"] = time_sequential(port, _paths(API_PARAMS, "/api/v1/demands/"),
                                          iterations=iterations, budget=budget)
    cold_iterations = max(20, iterations // 3)
    for kind, params in COLD_KINDS.items():
        timings[f"{kind} warm"] = time_sequential(port, _paths(params), iterations=cold_iterations,
                                                  budget=budget / 3)
        timings[f"{kind} cold"] = time_sequential(port, _paths(params), before=BUMP,
                                                  iterations=cold_iterations, budget=budget / 3,
                                                  warmup=2)
    return timings


def add_rows(report, small, large, *, small_n, large_n):
    """Rows comparing the timings at ``large_n`` demands against ``small_n``."""
    kinds = ["list", "filtered list", "search", "api list"]
    for kind in COLD_KINDS:
        kinds += [f"{kind} warm", f"{kind} cold"]
    for kind in kinds:
        for name in ("p50", "p95"):
            value = getattr(large[kind], name)
            reference = getattr(small[kind], name)
            ratio = ratio_of(value, reference)
            report.add(Row(
                step="1", name=f"{kind} {name} ({large_n:,} vs {small_n:,})",
                value=ms(value), reference=ms(reference), ratio=ratio,
                goal=f"≤ {GOAL}×", ok=at_most(ratio, GOAL),
            ))
    report.details["pages"] = {
        str(small_n): {kind: timings.as_dict() for kind, timings in small.items()},
        str(large_n): {kind: timings.as_dict() for kind, timings in large.items()},
        "method": "sequential GETs on loopback, anonymous, distinct ignored _bench parameter "
                  "per request (page cache missed, page built each time); after 10 warm-up "
                  "requests, --iterations requests or as many as fit in --page-budget seconds",
        "queries": QUERIES, "list_params": LIST_PARAMS, "filter_params": FILTER_PARAMS,
        "cold": "the same GETs, each right after an unmeasured GET of /bench/bump/ (the "
                "demands' page-cache namespace bumped, as by a publish or edit)",
        "cold_kinds": COLD_KINDS,
    }
