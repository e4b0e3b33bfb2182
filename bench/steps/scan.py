"""Step 2: the portal's Chinese search against a plain ``icontains`` scan of the same data, and
its recall.

Both are evaluated as the list page evaluates a search: the candidates (for the portal), the
count and the first page of snapshots (``Paginator`` over ``values_list("public_snapshot")``),
in this process, against the same PostgreSQL database; the time is the median of several runs
after one warm-up.

Recall is checked against a truth that is not the index's own column list: the text a visitor
reads on the demand's public page, rendered from its stored snapshot with the page's own
template (``demands/public/detail_body.html``, in Chinese) and stripped of tags and of the
template's own labels (headings, field names, notices). A demand must be found when the query
occurs in that text, exactly as written. Rendering costs tens of milliseconds a page on this
machine, so the rendered truth is taken over an evenly spread sample of the public demands
(``RENDERED_SAMPLE`` pages, every n-th by id); the recall over
every demand is also given against the projection's search texts (``search_texts``). The
portal's result is taken without its candidate cap (the cap only limits how many matches are
ranked and listed). The
scan runs over the model's text columns, as a naive implementation would, and so also finds
text the owner hid; those demands are counted and shown, as the reason a scan of the model is
no option.
"""

import html
import re
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
# Words of the page that are not in a demand's own texts: a province (host unit and event
# names, regions) and a city.
RECALL_ONLY = ["湖北", "西安"]
RENDERED_SAMPLE = 3000
# The template's own words (field names, headings, notices, the complaint link) are not the
# demand's: taken out before the tags.
LABELS = re.compile(r"<(dt|h2|h3|th)\b[^>]*>.*?</\1>|<p class=\"(?:alert|help|meta)\">.*?</p>",
                    re.S)
TAGS = re.compile(r"<[^>]+>")
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


def page_text(snapshot):
    """The text a visitor reads on the demand's public page (zh-hans), tags and the template's
    own labels taken out."""
    from django.template.loader import render_to_string

    body = render_to_string("demands/public/detail_body.html",
                            {"demand": from_snapshot(snapshot)})
    return normalise(html.unescape(TAGS.sub(" ", LABELS.sub(" ", body))))


def rendered_truth(queries, sample=RENDERED_SAMPLE):
    """``(pks rendered, {query: pks whose rendered public page contains it})`` over an evenly
    spread sample of about ``sample`` public demands (every n-th by id)."""
    from django.utils import translation

    total = public_demands().count()
    step = max(1, total // sample)
    pks = list(public_demands().order_by("pk").values_list("pk", flat=True)[::step])
    found = {query: set() for query in queries}
    normalised = {query: normalise(query) for query in queries}
    rows = public_demands().filter(pk__in=pks).values_list("pk", "public_snapshot")
    with translation.override("zh-hans"):
        for pk, snapshot in rows.iterator(chunk_size=500):
            text = page_text(snapshot)
            for query, needle in normalised.items():
                if needle in text:
                    found[query].add(pk)
    return set(pks), found


def run(report, *, repeat=3, log=print):
    started = time.perf_counter()
    expected = truth(QUERIES + RECALL_ONLY)
    log(f"  recall truth from {public_demands().count():,} projections in "
        f"{time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    sampled, rendered = rendered_truth(QUERIES + RECALL_ONLY)
    log(f"  rendered truth from {len(sampled):,} public pages in "
        f"{time.perf_counter() - started:.0f} s")
    details = {}
    speedups = []
    for query in RECALL_ONLY:
        found = set(search.search(public_demands(), query, rank_all=True).order_by()
                    .values_list("pk", flat=True))
        _add_recall_rows(report, details, query, found, expected[query], rendered[query],
                         sampled, log)
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
        extra = len(found - truth_set)
        hidden_hits = len(scanned - truth_set)
        speedup = ratio_of(scan_time, portal_time)
        speedups.append(speedup)
        log(f"  {query}: portal {portal_time * 1000:.1f} ms, scan {scan_time * 1000:.1f} ms")
        note = (f"{len(truth_set):,} demands contain it; found {len(found):,} "
                f"(+{extra} by tokens); scan also hits {hidden_hits} by hidden text")
        report.add(Row(step="2", name=f"search {query} vs icontains", value=ms(portal_time),
                       reference=ms(scan_time), ratio=speedup, goal=f"≥ {SPEEDUP_GOAL:.0f}× faster",
                       ok=at_least(speedup, SPEEDUP_GOAL), note=note))
        _add_recall_rows(report, details, query, found, truth_set, rendered[query], sampled,
                         log)
        details[query].update({
            "portal_ms": portal_time * 1000, "scan_ms": scan_time * 1000,
            "speedup": speedup, "page_count": portal_count,
            "scan_count": scan_count, "scan_hits_only_in_hidden_text": hidden_hits,
        })
    report.details["scan"] = {
        "queries": details, "repeat": repeat, "scan_fields": SCAN_FIELDS,
        "rendered_sample": len(sampled),
        "median_speedup": statistics.median([s for s in speedups if s]),
        "method": "count + first page of snapshots, as the list page; median of runs",
    }


def _add_recall_rows(report, details, query, found, truth_set, rendered_set, sampled, log):
    """Recall against the rendered public pages (the sample) and against every demand's
    projection texts."""
    on_pages = found & sampled
    rendered_recall = len(on_pages & rendered_set) / len(rendered_set) if rendered_set else 1.0
    recall = len(found & truth_set) / len(truth_set) if truth_set else 1.0
    details[query] = {
        "truth": len(truth_set), "found": len(found), "recall": recall,
        "found_not_in_text": len(found - truth_set),
        "rendered_truth": len(rendered_set), "rendered_found": len(on_pages & rendered_set),
        "rendered_recall": rendered_recall,
        "found_not_on_page": len(on_pages - rendered_set),
    }
    log(f"  recall {query}: rendered pages {rendered_recall:.4f} "
        f"({len(on_pages & rendered_set)}/{len(rendered_set)} of {len(sampled):,} pages), "
        f"projection texts {recall:.4f} ({len(found & truth_set)}/{len(truth_set)})")
    report.add(Row(step="2", name=f"recall {query} (rendered pages)",
                   value=f"{len(on_pages & rendered_set):,}/{len(rendered_set):,}",
                   reference=f"{len(sampled):,} pages", ratio=rendered_recall,
                   goal="1.00× (every one)", ok=rendered_recall == 1.0,
                   note="truth: the rendered public page's text, sampled"))
    report.add(Row(step="2", name=f"recall {query} (all projections)",
                   value=f"{len(found & truth_set):,}/{len(truth_set):,}",
                   reference="search texts", ratio=recall, goal="1.00× (every one)",
                   ok=recall == 1.0))
