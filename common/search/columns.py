"""The stored search columns: three text columns written from public texts only, and their
``tsvector`` twins, generated and stored by PostgreSQL under GIN indexes.

- tokens: jieba ``cut_for_search`` tokens of every text (it also emits the sub-words, which
  precise mode misses);
- bigrams: the character bigrams of each run of Chinese characters (plus the run's last
  character, so single characters are found by prefix and phrases never join across runs),
  matched with ``phraseto_tsquery('simple', …)``: full recall for 2-character words such as
  电池 and for exact phrases, whatever jieba made of them;
- title: tokens and bigrams of the title texts only, used to rank title matches above body
  matches: its first line is the record's own title, its second the other title texts
  (keywords), and its stored vector weighs them apart (:class:`WeightedVector`: title A,
  keywords B; the body's vectors carry D), so ``ts_rank_cd`` ranks a title match above a
  keyword-only one.

A model declares the three as ``TextField`` and each twin as
``GeneratedField(expression=SimpleVector(<text column>), output_field=SearchVectorField(),
db_persist=True)`` named by :func:`vector_column` (the title's twin
``WeightedVector("search_title", "A", "B")``), with a GIN index on each twin (a migration
of the app's own), then registers the names with :class:`common.search.SearchIndex`.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Func
from django.utils.deconstruct import deconstructible

from .tokenise import bigrams, tokens

TOKENS = "search_tokens"
BIGRAMS = "search_bigrams"
TITLE = "search_title"


@deconstructible(path="common.search.SimpleVector")
class SimpleVector(Func):
    """``to_tsvector('simple', column)``: the expression of the stored vector columns
    (``GeneratedField``). On other databases the column stays empty (NULL): they search the
    text columns with LIKE."""

    arity = 1
    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_tsvector('simple'::regconfig, {sql})", params


@deconstructible(path="common.search.WeightedVector")
class WeightedVector(Func):
    """The ``tsvector`` of a text column whose lines weigh differently: line ``i`` (1-based)
    gets ``weights[i - 1]`` (``setweight``), further lines none. The title column's twin is
    ``WeightedVector("search_title", "A", "B")``: the record's own title A, its keywords B.
    NULL on other databases, as :class:`SimpleVector`."""

    arity = 1
    output_field = SearchVectorField()

    def __init__(self, expression, *weights, **extra):
        if not weights or any(weight not in "ABCD" or len(weight) != 1 for weight in weights):
            raise ValueError("WeightedVector needs one weight (A, B, C or D) per line.")
        self.weights = weights
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        parts = [
            f"setweight(to_tsvector('simple'::regconfig, split_part({sql}, E'\\n', {line})), "
            f"'{weight}')"
            for line, weight in enumerate(self.weights, start=1)
        ]
        return "(" + " || ".join(parts) + ")", params * len(parts)


def vector_column(column):
    """The stored ``tsvector`` twin of a search text column."""
    return f"{column}_vector"


def index_columns(
    title_texts, body_texts, *, tokens_column=TOKENS, bigrams_column=BIGRAMS, title_column=TITLE
):
    """The values of the three search columns for a record whose public texts are given
    (title texts, then everything else)."""
    title = "\n".join(text for text in title_texts if text)
    body = "\n".join(text for text in body_texts if text)
    everything = f"{title}\n{body}"
    # The title column's first line holds the first title text (the record's own title), the
    # second the others (keywords): the LIKE fallback ranks a match of the title proper above
    # a keyword-only one, as ts_rank_cd does on PostgreSQL (where the line break is nothing).
    texts = [text for text in title_texts if text]
    lead, others = (texts[0], "\n".join(texts[1:])) if texts else ("", "")
    title_value = " ".join(tokens(lead) + bigrams(lead))
    if others:
        title_value += "\n" + " ".join(tokens(others) + bigrams(others))
    return {
        tokens_column: " ".join(tokens(everything)),
        bigrams_column: " ".join(bigrams(everything)),
        title_column: title_value,
    }
