"""The conditions and ranks of a search, written for each database.

PostgreSQL matches and ranks with the stored vectors (``column_vector @@ …``, answered by the
columns' GIN indexes), so no ``to_tsvector`` runs per row at query time. SQLite (the embedded
default) and others fall back to LIKE on the text columns and a simpler title-first rank.

A backend is built for one :class:`common.search.SearchIndex`: its columns are the index's.
"""

from functools import reduce
from operator import and_

from django.db.models import BooleanField, Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Concat, StrIndex, Substr
from django.db.models.lookups import GreaterThan

from .columns import vector_column
from .tokenise import run_phrase


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
    """``column_vector @@ function('simple', value)``: answered by the column's GIN index."""
    template = "{0} @@ " + function + "('simple', {1})"
    return Q(_Sql(template, F(vector_column(column)), Value(value), output_field=BooleanField()))


def _quote_lexeme(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgreSQLBackend:
    """GIN-indexed ``tsvector`` matches and ``ts_rank_cd`` over the stored vectors."""

    def __init__(self, index):
        self.index = index

    def tokens(self, words, column=None):
        """Every one of ``words`` is a token (GIN on the token column)."""
        return _vector_match(column or self.index.tokens, "plainto_tsquery", " ".join(words))

    def run(self, run, column=None):
        """The Chinese run occurs as written (GIN on the bigram column)."""
        column = column or self.index.bigrams
        if len(run) == 1:
            # A single character: any bigram starting with it, or a run ending with it.
            return _vector_match(column, "to_tsquery", _quote_lexeme(run) + ":*")
        return _vector_match(column, "phraseto_tsquery", run_phrase(run))

    def rank(self, query):
        """ts_rank_cd over the stored title vector (title A, keywords B) and the body's (D)
        for any query token or Chinese run."""
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
        queries = " || ".join(f"({part % (2 + i)})" for i, part in enumerate(parts))
        # The stored title vector weighs the title proper A and the keywords B, the body's D
        # (common.search.WeightedVector), so a title match outranks a keyword-only one. The
        # body's bigram vector, the largest, is left out: reading it for every candidate cost
        # more than the rest of the page, and the tier already tells where the runs occur as
        # written.
        template = "ts_rank_cd({0} || {1}, " + queries + ")"
        return _Sql(
            template,
            F(vector_column(self.index.title)),
            F(vector_column(self.index.tokens)),
            *(Value(value) for value in values),
            output_field=FloatField(),
        )


def _unit(run):
    return run_phrase(run) if len(run) > 1 else run


class LikeBackend:
    """LIKE on the same text columns (SQLite and any database without ``tsvector``)."""

    def __init__(self, index):
        self.index = index

    def tokens(self, words, column=None):
        column = column or self.index.tokens
        return reduce(and_, [Q(**{f"{column}__contains": word}) for word in words])

    def run(self, run, column=None):
        return Q(**{f"{column or self.index.bigrams}__contains": _unit(run)})

    def _in_lead_title(self, unit):
        """``unit`` occurs in the first line of the title column: the record's own title, not
        its other title texts (keywords); see ``common.search.columns.index_columns``."""
        column = F(self.index.title)
        line_end = StrIndex(Concat(column, Value("\n")), Value("\n"))
        return GreaterThan(StrIndex(Substr(column, 1, line_end), Value(unit)), 0)

    def rank(self, query):
        """The index's title score for each query run or word in the title texts, as much
        again for each in the title proper (so a title match outranks a keyword-only one, as
        on PostgreSQL), 1 for each in the body."""
        index = self.index
        units = [_unit(run) for run in query.all_runs()] + query.all_words()
        score = Value(0.0, output_field=FloatField())
        for unit in dict.fromkeys(units):
            score = (
                score
                + Case(
                    When(
                        Q(**{f"{index.title}__contains": unit}), then=Value(index.like_title_score)
                    ),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
                + Case(
                    When(self._in_lead_title(unit), then=Value(index.like_title_score)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
                + Case(
                    When(Q(**{f"{index.bigrams}__contains": unit}), then=Value(1.0)),
                    When(Q(**{f"{index.tokens}__contains": unit}), then=Value(1.0)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
        return score


def backend_for(index, connection):
    """The backend of ``index`` for the database behind ``connection``."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend(index)
    return LikeBackend(index)
