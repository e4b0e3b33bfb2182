"""Cursor pagination: an opaque ``cursor`` parameter naming where the next page starts.

Lists ordered by a date and the primary key page by *keyset* (the next page starts after the
last row's ``(date, pk)``), so a row published between two requests neither repeats nor
disappears, and page 500 costs what page 1 does. A search (ordered by rank) pages by
position within its ranked matches, which are at most a few hundred."""

import base64
import json

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode(data):
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (ValueError, TypeError) as error:
        raise ValidationError({"cursor": [_("This cursor is not valid.")]}) from error
    if not isinstance(data, dict):
        raise ValidationError({"cursor": [_("This cursor is not valid.")]})
    return data


def limit_of(request):
    value = request.query_params.get("limit", "")
    if not value:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ValidationError({"limit": [_("Give a whole number from 1 to %(max)d.")
                                         % {"max": MAX_LIMIT}]})
    return int(value)


def _next_url(request, cursor):
    return replace_query_param(request.build_absolute_uri(), "cursor", cursor)


def keyset_page(request, queryset, *, field, descending=True, fields=None):
    """One page of ``queryset`` ordered by ``(field, pk)``; returns ``(rows, next_url)``.
    ``fields``: read only these (``values()``), else model instances."""
    limit = limit_of(request)
    cursor = request.query_params.get("cursor", "")
    sign = "-" if descending else ""
    queryset = queryset.exclude(**{f"{field}__isnull": True}).order_by(f"{sign}{field}",
                                                                        f"{sign}pk")
    if cursor:
        data = decode(cursor)
        at = parse_datetime(str(data.get("at", ""))) if data.get("at") else None
        pk = data.get("pk")
        if at is None or not isinstance(pk, int):
            raise ValidationError({"cursor": [_("This cursor is not valid.")]})
        op = "lt" if descending else "gt"
        queryset = queryset.filter(Q(**{f"{field}__{op}": at})
                                   | Q(**{field: at, f"pk__{op}": pk}))
    if fields is not None:
        queryset = queryset.values("pk", field, *fields)
    rows = list(queryset[: limit + 1])
    next_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        at = last[field] if isinstance(last, dict) else getattr(last, field)
        pk = last["pk"] if isinstance(last, dict) else last.pk
        next_url = _next_url(request, encode({"at": at.isoformat(), "pk": pk}))
    return rows, next_url


def position_page(request, rows_of):
    """One page of a ranked list: ``rows_of(start, stop)`` returns those rows."""
    limit = limit_of(request)
    cursor = request.query_params.get("cursor", "")
    start = 0
    if cursor:
        start = decode(cursor).get("at")
        if not isinstance(start, int) or start < 0:
            raise ValidationError({"cursor": [_("This cursor is not valid.")]})
    rows = list(rows_of(start, start + limit + 1))
    next_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_url = _next_url(request, encode({"at": start + limit}))
    return rows, next_url
