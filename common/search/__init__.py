"""Chinese full-text search, for any model that registers its columns (DESIGN.md §5, DOMAIN.md
"Chinese search").

Three text columns per searchable model, written from public texts only (so a hidden value can
never be found): jieba tokens, character bigrams, and the title's tokens and bigrams; on
PostgreSQL each has a stored ``tsvector`` twin under a GIN index (:mod:`.columns`). Queries go
through the same tokeniser (:mod:`.tokenise`, :mod:`.query`); matches and ranks are written per
database (:mod:`.backends`); only the newest matches of a broad query are ranked, looked for in
windows of recent records (:mod:`.windows`). An app registers its model with
:class:`SearchIndex` and searches through it (:mod:`.index`).

This package imports no domain app.
"""

from .columns import SimpleVector, WeightedVector, index_columns, vector_column
from .index import CANDIDATE_CAP, SearchIndex, index_for, register, registered
from .query import MAX_QUERY_LENGTH, ParsedQuery, Phrase, parse_query
from .tokenise import CJK_RUN, LATIN_WORD, WORD, bigrams, normalise, tokenizer, tokens
from .windows import recent_windows

__all__ = [
    "CANDIDATE_CAP",
    "CJK_RUN",
    "LATIN_WORD",
    "MAX_QUERY_LENGTH",
    "WORD",
    "ParsedQuery",
    "Phrase",
    "SearchIndex",
    "SimpleVector",
    "WeightedVector",
    "bigrams",
    "index_columns",
    "index_for",
    "normalise",
    "parse_query",
    "recent_windows",
    "register",
    "registered",
    "tokenizer",
    "tokens",
    "vector_column",
]
