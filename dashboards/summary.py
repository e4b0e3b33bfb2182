"""The dashboard's figures for one scope and breakdown, as plain data: counted live (a host
organiser's few units) or read from the national :class:`~dashboards.models.FunnelSnapshot`
that the refresh job writes (Torch staff's national view over millions of rows).

``figures(user, unit_ids, dimension)`` returns::

    {"funnel": [(stage key, count, amount)], "sections": {stage key: [(key, label, count,
     amount)]}, "per_host": [(unit id, [counts], [amounts])], "responses": [(unit id, total,
     answered, median days)], "responses_overall": (total, answered, median days)}

Amounts are ``Decimal`` (万元) or ``None`` for a stage without one; in the snapshot they are
stored as strings, so nothing is rounded on the way.
"""

import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from solutions import selectors as solution_selectors

from . import funnel
from .models import FunnelSnapshot

REFRESH_MINUTES = 10


def compute(user, unit_ids, dimension, *, common=None):
    """The figures counted live now (``common``: the parts that do not depend on the
    breakdown, when already counted for another one)."""
    if common is None:
        common = _common(user, unit_ids)
    sections = {stage.key: [tuple(row) for row in funnel.breakdown(stage, unit_ids, dimension)]
                for stage in funnel.STAGES}
    return {**common, "sections": sections}


def _common(user, unit_ids):
    rows, overall = solution_selectors.response_figures(user)
    return {
        "funnel": [(stage.key, n, amount) for stage, n, amount in funnel.totals(unit_ids)],
        "per_host": [(row["unit"].pk, row["counts"], row["amounts"])
                     for row in funnel.per_host(unit_ids)],
        "responses": [(row["unit"].pk, row["total"], row["answered"], row["median_days"])
                      for row in rows],
        "responses_overall": (overall["total"], overall["answered"], overall["median_days"]),
    }


def _dump(value):
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item) for key, item in value.items()}
    return value


def _load(value):
    if isinstance(value, dict):
        if set(value) == {"d"}:
            return Decimal(value["d"])
        return {key: _load(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_load(item) for item in value]
    return value


def refresh(user, *, dimensions=None):
    """Count the national figures of every breakdown and store them, one snapshot row each
    (``user``: a Torch staff member, whose scope is national). Returns the seconds taken."""
    started = time.perf_counter()
    common = _common(user, None)
    common_seconds = time.perf_counter() - started
    for dimension in dimensions or funnel.DIMENSIONS:
        began = time.perf_counter()
        data = compute(user, None, dimension, common=common)
        with transaction.atomic():
            FunnelSnapshot.objects.update_or_create(
                dimension=dimension,
                defaults={"figures": _dump(data), "computed_at": timezone.now(),
                          "seconds": common_seconds + time.perf_counter() - began})
    return time.perf_counter() - started


def snapshot(dimension):
    """``(figures, computed_at)`` of the national snapshot of this breakdown, or ``None``."""
    row = FunnelSnapshot.objects.filter(dimension=dimension).first()
    if row is None:
        return None
    data = _load(row.figures)
    data["funnel"] = [tuple(item) for item in data["funnel"]]
    data["sections"] = {key: [tuple(item) for item in rows]
                        for key, rows in data["sections"].items()}
    return data, row.computed_at


__all__ = ["REFRESH_MINUTES", "compute", "refresh", "snapshot"]
