"""The newest matches of a broad query, looked for among recent records first.

Ranking is what grows with the number of matches, so a search ranks only the newest ``cap``
matches (and the newest ``cap`` title matches). Finding them through "all matches, newest
first" would read every match; looking first in a window of the newest few thousand records
reads a few hundred. Windows are ``(size, cutoff)`` pairs, smallest first: the ``size``-th
newest record's date; the last, ``(total, None)``, is every record. An app computes them with
:func:`recent_windows` and caches them until anything it publishes changes.
"""

import json

from django.db import connection

# Matches are read all at once when they are expected to be at most this many (their rows are
# visited in any case when PostgreSQL underestimates a query of several words).
READ_ALL_MATCHES = 2000


def recent_windows(queryset, *, sizes, date_field="published_at"):
    """``(size, date)`` of the ``size``-th newest record of ``queryset`` for each of ``sizes``
    (those that exist), then ``(number of records, None)``."""
    newest = queryset.order_by(f"-{date_field}", "-pk").values_list(date_field, flat=True)
    windows = [
        (size, cutoff)
        for size, cutoff in ((size, newest[size : size + 1].first()) for size in sizes)
        if cutoff is not None
    ]
    windows.append((queryset.count(), None))
    return tuple(windows)


def expected_few(found, cap):
    """Whether PostgreSQL expects fewer than ``cap`` rows in ``found`` (one EXPLAIN, no rows
    read). It then plans every window as "read all the matches, keep the recent ones" instead
    of combining the match with the date index, so the windows would only repeat that work. It
    expects that of several words together, whose estimate it multiplies down to one row."""
    if connection.vendor != "postgresql":
        return False
    plan = json.loads(found.order_by().values("pk").explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"] < cap


def newest(queryset, cap, windows, *, date_field="published_at", start=0):
    """The pks of the ``cap`` newest records of ``queryset`` and the index of the window that
    held them. When a window holds ``cap`` of them, they are the newest overall. One that falls
    short tells how dense the matches are: windows too small at that density are skipped, and
    when all the matches are few, they are read at once."""
    order = (f"-{date_field}", "-pk")
    windows = tuple(windows) or ((0, None),)
    total = windows[-1][0]
    index = min(start, len(windows) - 1)
    while True:
        size, cutoff = windows[index]
        window = queryset if cutoff is None else queryset.filter(**{f"{date_field}__gte": cutoff})
        pks = list(window.order_by(*order).values_list("pk", flat=True)[:cap])
        if len(pks) >= cap or cutoff is None:
            return pks, index
        if total * len(pks) / size <= READ_ALL_MATCHES:
            index = len(windows) - 1
            continue
        needed = size * cap / max(len(pks), 1)
        index += 1
        while windows[index][1] is not None and windows[index][0] < needed:
            index += 1
