"""The achievement library's registration with the Chinese search engine (:mod:`common.search`),
and its one search function. Queries are expanded with the term table: a query for IGBT also
finds 绝缘栅双极型晶体管."""

from django.db.models import Case, IntegerField, Value, When

from common.search import SearchIndex, register

ACHIEVEMENTS = register(
    SearchIndex(
        model="matching.Achievement",
        title="search_title",
        tokens="search_tokens",
        bigrams="search_bigrams",
        date_field="listed_at",
        like_title_score=10.0,
    )
)


def search_columns(achievement):
    """The search columns of an achievement: title and keywords, then the abstract."""
    return ACHIEVEMENTS.columns([achievement.title, *(achievement.keywords or ())],
                                [achievement.abstract])


def expanded_queries(text, table):
    """``text``, then ``text`` with each term-table entry found in it written the other way
    (IGBT → 绝缘栅双极型晶体管 and back)."""
    from common.search import normalise

    queries = [text]
    lowered = normalise(text)
    for found in table.find(text):
        for abbreviation, term in table.pairs(found.concept):
            other = term if normalise(found.form) == normalise(abbreviation) else abbreviation
            queries.append(lowered[:found.start] + other + lowered[found.end:])
    return list(dict.fromkeys(queries))[:5]


def search(queryset, text, table=None, *, limit=300):
    """``queryset`` narrowed to the achievements matching ``text`` or any of its term-table
    expansions, best first: the query's own matches in their rank, then each expansion's."""
    queries = expanded_queries(text, table) if table is not None else [text]
    if len(queries) == 1:
        return ACHIEVEMENTS.search(queryset, text)
    ordered = []
    for query in queries:
        ordered.extend(ACHIEVEMENTS.search(queryset, query).values_list("pk", flat=True)[:limit])
    ordered = list(dict.fromkeys(ordered))[:limit]
    if not ordered:
        return queryset.none()
    position = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ordered)),
                    output_field=IntegerField())
    return queryset.filter(pk__in=ordered).order_by(position)
