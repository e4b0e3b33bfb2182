"""A model's registration with the search engine, and the search itself.

An app declares the three text columns and their stored vectors on its model (see
:mod:`common.search.columns`), then registers them once::

    ACHIEVEMENTS = register(SearchIndex(model="matching.Achievement", date_field="listed_at"))

writes ``ACHIEVEMENTS.columns(title_texts, body_texts)`` into the row whenever its public texts
change, and searches with ``ACHIEVEMENTS.search(queryset, text, windows=...)``.
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When

from . import windows as _windows
from .backends import backend_for
from .columns import BIGRAMS, TITLE, TOKENS, index_columns, vector_column
from .query import parse_query

# Ranking a broad match is the expensive part (DOMAIN.md: 418 ms for 23k rows), so only this
# many of the newest matches (and as many of the newest title matches) are ranked.
CANDIDATE_CAP = 100


@dataclass(frozen=True)
class SearchIndex:
    """The searchable columns of one model.

    ``model`` is the ``"app_label.ModelName"`` label; ``tokens``, ``bigrams`` and ``title`` the
    three text columns (each with a stored vector twin named by :func:`vector_column`);
    ``date_field`` what "newest" means (ties broken by pk); ``like_title_score`` the score of a
    title match against 1 for a body match on the LIKE fallback. On PostgreSQL the weights are
    stored in the vectors themselves (the title's twin is a
    :class:`common.search.WeightedVector`: title A, keywords B; the body's D)."""

    model: str
    tokens: str = TOKENS
    bigrams: str = BIGRAMS
    title: str = TITLE
    date_field: str = "published_at"
    like_title_score: float = 10.0

    @property
    def text_columns(self):
        """The text columns, in the order the rank reads their vectors."""
        return (self.title, self.tokens, self.bigrams)

    @property
    def vector_columns(self):
        """The stored vectors: large, read only inside search queries, so models defer them."""
        return tuple(vector_column(column) for column in self.text_columns)

    def columns(self, title_texts, body_texts):
        """The values of the text columns for a record with these public texts."""
        return index_columns(
            title_texts,
            body_texts,
            tokens_column=self.tokens,
            bigrams_column=self.bigrams,
            title_column=self.title,
        )

    def empty_columns(self):
        """The values of the text columns for a record that is not searchable."""
        return dict.fromkeys(self.text_columns, "")

    def search(self, queryset, text, *, cap=None, rank_all=False, windows=()):
        """``queryset`` narrowed to the records matching ``text``, best first (then newest
        first). An empty query returns ``queryset`` unchanged; a query without any searchable
        character matches nothing.

        The newest ``cap`` (default ``CANDIDATE_CAP``) matches and the newest ``cap`` title
        matches are chosen here and only they are ranked; ``rank_all`` ranks every match. The
        newest matches are looked for among recent records first (``windows``, or a function
        that returns them, called only when they are needed; see :mod:`common.search.windows`),
        so that a broad query reads a few hundred matches, not all of them."""
        if not (text or "").strip():
            return queryset
        query = parse_query(text)
        if not query:
            return queryset.none()
        backend = backend_for(self, connection)
        found = queryset.filter(self._match(backend, query))
        if not rank_all:
            cap = CANDIDATE_CAP if cap is None else cap
            windows = tuple(windows() if callable(windows) else windows)
            skip = len(windows) > 1 and _windows.expected_few(found, cap)
            newest, window = _windows.newest(
                found,
                cap,
                windows,
                date_field=self.date_field,
                start=len(windows) - 1 if skip else 0,
            )
            candidates = set(newest)
            in_title = self._title_match(backend, query)
            # Fewer than cap: every match is a candidate already, title matches included.
            if len(newest) >= cap and in_title is not None:
                # A title match is a match when the query is Chinese runs and words only (the
                # title's tokens and bigrams are in the body columns too): then the small
                # title vectors alone are read. Title matches are no denser than matches, so
                # their search starts in the window where the matches were found.
                titled = found if query.quoted or query.rest.words else queryset
                candidates.update(
                    _windows.newest(
                        titled.filter(in_title),
                        cap,
                        windows,
                        date_field=self.date_field,
                        start=window,
                    )[0]
                )
            found = queryset.filter(pk__in=candidates)
        return found.annotate(
            search_tier=self._tier(backend, query), search_rank=backend.rank(query)
        ).order_by(F("search_tier").desc(), F("search_rank").desc(), f"-{self.date_field}", "-pk")

    # --- conditions -------------------------------------------------------------------------
    def _title_conditions(self, backend, query):
        """The query's Chinese runs as written in the title (8 points), all its words in the
        title (4)."""
        runs, words = query.all_runs(), query.all_words()
        return [
            (8, _all([backend.run(run, self.title) for run in runs])),
            (4, backend.tokens(words, self.title) if words else None),
        ]

    def _title_match(self, backend, query):
        """Records whose title answers the query, by either title condition."""
        conditions = [
            condition
            for _points, condition in self._title_conditions(backend, query)
            if condition is not None
        ]
        return reduce(or_, conditions) if conditions else None

    def _tier(self, backend, query):
        """Coarse relevance, before the fine rank: the query's Chinese runs as written in the
        title (8), all its words in the title (4), its runs as written anywhere (2)."""
        tiers = [
            *self._title_conditions(backend, query),
            (2, _all([backend.run(run) for run in query.all_runs()])),
        ]
        score = Value(0, output_field=IntegerField())
        for points, condition in tiers:
            if condition is not None:
                score = score + Case(
                    When(condition, then=Value(points)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
        return score

    def _match(self, backend, query):
        conditions = [_phrase_condition(backend, phrase) for phrase in query.quoted]
        rest = []
        if query.tokens:
            rest.append(backend.tokens(query.tokens))
        if query.rest.runs:
            rest.append(_phrase_condition(backend, query.rest))
        if rest:
            conditions.append(reduce(or_, rest))
        return reduce(and_, conditions)


def _all(conditions):
    return reduce(and_, conditions) if conditions else None


def _phrase_condition(backend, phrase):
    conditions = [backend.run(run) for run in phrase.runs]
    if phrase.words:
        conditions.append(backend.tokens(phrase.words))
    return reduce(and_, conditions)


# --- registry -----------------------------------------------------------------------------------
_registry = {}


def register(index):
    """Register ``index`` (one per model) and return it. An app registers its model's index at
    import time of its own search module."""
    existing = _registry.get(index.model.lower())
    if existing is not None and existing != index:
        raise ValueError(f"{index.model} is registered for search already, differently.")
    _registry[index.model.lower()] = index
    return index


def index_for(model):
    """The registered :class:`SearchIndex` of ``model`` (a model class or its label)."""
    label = model if isinstance(model, str) else model._meta.label
    try:
        return _registry[label.lower()]
    except KeyError:
        raise LookupError(f"{label} has no registered search index.") from None


def registered():
    """Every registered index."""
    return tuple(_registry.values())
