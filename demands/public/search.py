"""Search over published demands: the demand's registration with the Chinese search engine
(:mod:`common.search`) and the one search function the public side calls.

The three columns are written by ``demands.public.projection.refresh_public_index`` from the public
projection and never from the model (``PublicDemand.search_texts``: title and keywords, then
the rest), so a hidden value can never be found.
"""

from common import search as engine
from common.search import SearchIndex, recent_windows, register

from ..models import Demand
from .cache import PUBLIC_PAGES

DEMANDS = register(
    SearchIndex(
        model="demands.Demand",
        title="search_title",
        tokens="search_tokens",
        bigrams="search_bigrams",
        date_field="published_at",
        # A title match scores 10 against 1 for a body match on LIKE; on PostgreSQL the stored
        # title vector weighs the title A and the keywords B (the body: D).
        like_title_score=10.0,
    )
)

# How many of the newest matches (and of the newest title matches) a search ranks and lists.
CANDIDATE_CAP = engine.CANDIDATE_CAP
# Sizes of the windows of recent demands in which searches look for their newest matches.
RECENT_WINDOWS = (2_000, 10_000, 40_000)


def public_windows():
    """The windows of the 2,000th, 10,000th and 40,000th newest public demand (those that
    exist), then of every public demand, cached until anything public changes."""
    return PUBLIC_PAGES.remember(
        "windows",
        (),
        lambda: recent_windows(
            Demand.objects.public(), sizes=RECENT_WINDOWS, date_field=DEMANDS.date_field
        ),
        timeout=3600,
        single_flight=True,
    )


def search(queryset, text, *, cap=None, rank_all=False, windows=None):
    """``queryset`` (of public demands) narrowed to the demands matching ``text``, best first
    (then newest first); see :meth:`common.search.SearchIndex.search`. The newest matches are
    looked for in :func:`public_windows` unless ``windows`` are given."""
    return DEMANDS.search(
        queryset,
        text,
        cap=CANDIDATE_CAP if cap is None else cap,
        rank_all=rank_all,
        windows=public_windows if windows is None else windows,
    )
