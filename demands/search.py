"""Chinese full-text search over published demands (DESIGN.md §5, DOMAIN.md "Chinese search").

Three columns, all written by ``demands.public.refresh_public_index`` from the public projection
and never from the model, so a hidden value can never be found:

- ``search_tokens``: jieba ``cut_for_search`` tokens of every public text (it also emits the
  sub-words, which precise mode misses), matched on PostgreSQL through a GIN index on
  ``to_tsvector('simple', search_tokens)``;
- ``search_bigrams``: the character bigrams of each run of Chinese characters (plus the run's
  last character, so single characters are found by prefix and phrases never join across
  runs), matched with ``phraseto_tsquery('simple', …)``: full recall for 2-character words
  such as 电池 and for exact phrases, whatever jieba made of them;
- ``search_title``: tokens and bigrams of the title and keywords only, used to rank title
  matches above body matches.

Queries go through the same tokeniser. A demand matches when all query tokens occur, or when
every Chinese run of the query occurs as written (and every Latin word as a token); a quoted
part ("电池隔膜", “…”, 「…」) must occur exactly.
On PostgreSQL the candidates are capped before ``ts_rank_cd`` ranks them; SQLite (the
embedded default) falls back to LIKE on the same columns and a simpler title-first rank.
"""

import logging
import re
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)

# Ranking a broad match is the expensive part (DOMAIN.md: 418 ms for 23k rows), so only this
# many of the newest matches are ranked.
CANDIDATE_CAP = 1000
# Longer queries are cut: nobody types more, and each run becomes a phrase condition.
MAX_QUERY_LENGTH = 100

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
WORD = re.compile(r"\w+")
LATIN_WORD = re.compile(f"(?:(?![{_CJK}])\\w)+")

_lock = threading.Lock()
_tokenizer = None


def jieba_cache_dir():
    """A writable directory of the project for jieba's prefix-dictionary cache."""
    configured = getattr(settings, "JIEBA_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "jieba"


def tokenizer():
    """The process-wide jieba tokenizer, initialised on first use (about a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                with warnings.catch_warnings():
                    # jieba is unmaintained since 2020; it warns about pkg_resources on import.
                    warnings.simplefilter("ignore")
                    import jieba
                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                cache_dir = jieba_cache_dir()
                cache_dir.mkdir(parents=True, exist_ok=True)
                instance.tmp_dir = str(cache_dir)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    instance.initialize()
                _tokenizer = instance
    return _tokenizer


def normalise(text):
    """NFKC (full-width Latin and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text):
    """jieba ``cut_for_search`` tokens of ``text``, normalised, without punctuation."""
    text = normalise(text)
    if not text.strip():
        return []
    found = []
    for token in tokenizer().cut_for_search(text):
        found.extend(WORD.findall(token))
    return found


def bigrams(text, *, with_tail=True):
    """Character bigrams of each run of Chinese characters; with ``with_tail`` each run also
    gives its last character (a 1-character run gives only that)."""
    found = []
    for run in CJK_RUN.findall(normalise(text)):
        found.extend(run[i:i + 2] for i in range(len(run) - 1))
        if with_tail or len(run) == 1:
            found.append(run[-1])
    return found


def index_columns(title_texts, body_texts):
    """The three search columns for a demand whose public texts are given (title and
    keywords, then everything else)."""
    title = "\n".join(text for text in title_texts if text)
    body = "\n".join(text for text in body_texts if text)
    everything = f"{title}\n{body}"
    return {
        "search_tokens": " ".join(tokens(everything)),
        "search_bigrams": " ".join(bigrams(everything)),
        "search_title": " ".join(tokens(title) + bigrams(title)),
    }


QUOTED = re.compile(r'["“「『]([^"”」』]+)["”」』]')


def run_phrase(run):
    """The bigrams of a Chinese run, as ``phraseto_tsquery`` and the bigram column have them."""
    return " ".join(bigrams(run, with_tail=False))


@dataclass(frozen=True)
class Phrase:
    """Chinese runs (each an exact sequence of characters) and Latin words."""

    runs: tuple
    words: tuple

    @classmethod
    def of(cls, text):
        return cls(runs=tuple(dict.fromkeys(CJK_RUN.findall(text))),
                   words=tuple(dict.fromkeys(LATIN_WORD.findall(text))))

    def __bool__(self):
        return bool(self.runs or self.words)


@dataclass(frozen=True)
class ParsedQuery:
    """A query: quoted phrases must occur exactly; the rest matches when all its jieba tokens
    occur, or when each of its Chinese runs occurs as written (and each Latin word as a
    token)."""

    text: str
    tokens: tuple      # jieba tokens of the unquoted rest
    rest: Phrase       # the unquoted rest as runs and words
    quoted: tuple      # of Phrase

    def __bool__(self):
        return bool(self.tokens or self.rest or any(self.quoted))

    def all_runs(self):
        runs = list(self.rest.runs)
        for phrase in self.quoted:
            runs.extend(phrase.runs)
        return list(dict.fromkeys(runs))

    def all_words(self):
        words = list(self.tokens)
        for phrase in self.quoted:
            words.extend(phrase.words)
        return list(dict.fromkeys(words))


def parse_query(text):
    text = normalise(text)[:MAX_QUERY_LENGTH].strip()
    quoted = tuple(phrase for phrase in (Phrase.of(part) for part in QUOTED.findall(text))
                   if phrase)
    rest = QUOTED.sub(" ", text)
    return ParsedQuery(text=text, tokens=tuple(dict.fromkeys(tokens(rest))),
                       rest=Phrase.of(rest), quoted=quoted)


def search(queryset, text, *, cap=CANDIDATE_CAP):
    """``queryset`` (of ``Demand``) narrowed to the demands matching ``text``, best first
    (then newest first). An empty query returns ``queryset`` unchanged; a query without any
    searchable character matches nothing."""
    if not (text or "").strip():
        return queryset
    query = parse_query(text)
    if not query:
        return queryset.none()
    backend = _PostgreSQL if connection.vendor == "postgresql" else _Like
    # Cap first (newest matches), rank only those: ranking is what grows with the match count.
    candidates = (queryset.filter(_match(backend, query))
                  .order_by("-published_at", "-pk").values("pk")[:cap])
    return (queryset.filter(pk__in=candidates)
            .annotate(search_tier=_tier(backend, query), search_rank=backend.rank(query))
            .order_by(F("search_tier").desc(), F("search_rank").desc(), "-published_at", "-pk"))


def _all(conditions):
    return reduce(and_, conditions) if conditions else None


def _tier(backend, query):
    """Coarse relevance, before the fine rank: the query's Chinese runs as written in the title
    (8), all its words in the title (4), its runs as written anywhere (2)."""
    runs, words = query.all_runs(), query.all_words()
    tiers = [
        (8, _all([backend.run(run, "search_title") for run in runs])),
        (4, backend.tokens(words, "search_title") if words else None),
        (2, _all([backend.run(run) for run in runs])),
    ]
    score = Value(0, output_field=IntegerField())
    for points, condition in tiers:
        if condition is not None:
            score = score + Case(When(condition, then=Value(points)), default=Value(0),
                                 output_field=IntegerField())
    return score


def _phrase_condition(backend, phrase):
    conditions = [backend.run(run) for run in phrase.runs]
    if phrase.words:
        conditions.append(backend.tokens(phrase.words))
    return reduce(and_, conditions)


def _match(backend, query):
    conditions = [_phrase_condition(backend, phrase) for phrase in query.quoted]
    rest = []
    if query.tokens:
        rest.append(backend.tokens(query.tokens))
    if query.rest.runs:
        rest.append(_phrase_condition(backend, query.rest))
    if rest:
        conditions.append(reduce(or_, rest))
    return reduce(and_, conditions)


# --- PostgreSQL -------------------------------------------------------------------------------
class _Sql(Func):
    """SQL written as a ``str.format`` template over compiled source expressions, each used
    exactly once and in order (so parameters line up). Columns stay ``F()`` references, which
    Django re-aliases inside subqueries."""

    def __init__(self, template, *sources, output_field):
        self.sql_template = template
        super().__init__(*sources, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        pieces, params = [], []
        for source in self.source_expressions:
            sql, source_params = compiler.compile(source)
            pieces.append(sql)
            params.extend(source_params)
        return self.sql_template.format(*pieces), params


def _vector_match(column, function, value):
    """``to_tsvector('simple', column) @@ function('simple', value)``: the GIN-indexed form."""
    template = "to_tsvector('simple', {0}) @@ " + function + "('simple', {1})"
    return Q(_Sql(template, F(column), Value(value), output_field=BooleanField()))


def _quote_lexeme(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class _PostgreSQL:
    @staticmethod
    def tokens(words, column="search_tokens"):
        """Every one of ``words`` is a token (GIN on the token column)."""
        return _vector_match(column, "plainto_tsquery", " ".join(words))

    @staticmethod
    def run(run, column="search_bigrams"):
        """The Chinese run occurs as written (GIN on the bigram column)."""
        if len(run) == 1:
            # A single character: any bigram starting with it, or a run ending with it.
            return _vector_match(column, "to_tsquery", _quote_lexeme(run) + ":*")
        return _vector_match(column, "phraseto_tsquery", run_phrase(run))

    @staticmethod
    def rank(query):
        """ts_rank_cd over the title (weight A) and the body (weight D) for any query token
        or Chinese run."""
        parts, values = [], []
        words = query.all_words()
        if words:
            parts.append("to_tsquery('simple', {%d})")
            values.append(" | ".join(_quote_lexeme(word) for word in words))
        for run in query.all_runs():
            if len(run) > 1:
                parts.append("phraseto_tsquery('simple', {%d})")
                values.append(run_phrase(run))
        if not parts:
            return Value(0.0, output_field=FloatField())
        queries = " || ".join(f"({part % (3 + i)})" for i, part in enumerate(parts))
        template = (
            "ts_rank_cd(setweight(to_tsvector('simple', {0}), 'A')"
            " || setweight(to_tsvector('simple', {1}), 'D')"
            " || setweight(to_tsvector('simple', {2}), 'D'), " + queries + ")"
        )
        return _Sql(template, F("search_title"), F("search_tokens"), F("search_bigrams"),
                    *(Value(value) for value in values), output_field=FloatField())


# --- SQLite and others: LIKE on the same columns ----------------------------------------------
def _unit(run):
    return run_phrase(run) if len(run) > 1 else run


class _Like:
    @staticmethod
    def tokens(words, column="search_tokens"):
        return reduce(and_, [Q(**{f"{column}__contains": word}) for word in words])

    @staticmethod
    def run(run, column="search_bigrams"):
        return Q(**{f"{column}__contains": _unit(run)})

    @staticmethod
    def rank(query):
        """10 for each query run or word in the title, 1 for each in the body."""
        units = [_unit(run) for run in query.all_runs()] + query.all_words()
        score = Value(0.0, output_field=FloatField())
        for unit in dict.fromkeys(units):
            score = score + Case(
                When(search_title__contains=unit, then=Value(10.0)),
                default=Value(0.0), output_field=FloatField(),
            ) + Case(
                When(search_bigrams__contains=unit, then=Value(1.0)),
                When(search_tokens__contains=unit, then=Value(1.0)),
                default=Value(0.0), output_field=FloatField(),
            )
        return score
