"""Recommendations: for each published demand, the achievements whose texts best match the
demand's public text, stored with their reasons (the matched terms).

Computed by Celery when a demand is published (``demands.hooks.register_published``) and when
an achievement changes, never on a page view. A changed achievement refreshes only the demands
it enters, leaves or moves in (:func:`refresh_for_achievement`). Reads the public snapshot only
(``Demand.public_snapshot``, built from the public projection), so nothing the owner hid can
become a reason; staff-only achievements are stored apart from the public ranking (the top of
the public achievements is always stored too) and shown only to those who may see them.
"""

import threading

from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from demands.enums import DemandStatus
from demands.models import Demand

from .. import ranking
from ..enums import Visibility
from ..models import Achievement, MatchProfile, Recommendation
from ..terms import current_table

# How many achievements are kept per demand, for the public ranking and for staff.
KEEP = 20

_lock = threading.Lock()
_state = {"index": None, "as_of": None}


def _add_rows(index, rows):
    latest = None
    for pk, terms, field_id, region, visibility, updated_at in rows:
        index.add(pk, terms, field_id=field_id, region=region,
                  public=visibility == Visibility.PUBLIC)
        latest = updated_at if latest is None or updated_at > latest else latest
    return latest


_COLUMNS = ("pk", "match_terms", "industry_field_id", "region", "visibility", "updated_at")


def build_index(queryset=None):
    """A fresh :class:`ranking.Index` of every achievement (or of ``queryset``)."""
    index = ranking.Index()
    queryset = queryset if queryset is not None else Achievement.objects.all()
    _add_rows(index, queryset.values_list(*_COLUMNS).iterator(chunk_size=2000))
    return index.prepare()


def current_index():
    """The process's index, brought up to date: rows changed since it was last read are
    re-added, removed rows dropped (two small queries when nothing changed)."""
    with _lock:
        index, as_of = _state["index"], _state["as_of"]
        if index is None:
            started = timezone.now()
            index = build_index()
            _state["index"], _state["as_of"] = index, started
            return index
        started = timezone.now()
        changed = Achievement.objects.filter(updated_at__gte=as_of).values_list(*_COLUMNS)
        _add_rows(index, changed.iterator(chunk_size=2000))
        state = Achievement.objects.aggregate(n=Count("pk"), top=Max("pk"))
        if state["n"] != len(index) or (state["top"] or 0) != max(index.docs, default=0):
            existing = set(Achievement.objects.values_list("pk", flat=True))
            for pk in [pk for pk in index.docs if pk not in existing]:
                index.remove(pk)
            if len(index) != state["n"]:
                # Rows came back under old ids (a restored database): read them all again.
                index = build_index()
                _state["index"] = index
        _state["as_of"] = started
        return index


def forget_index():
    """Drop the process's index (tests, and after the term table changed)."""
    with _lock:
        _state["index"], _state["as_of"] = None, None


def profile_of(demand, table=None):
    """The analysed public text of ``demand``."""
    return ranking.analyse(ranking.demand_parts(demand.public_snapshot or {}),
                           table if table is not None else current_table(),
                           demand.industry_field_id)


def _is_current(demand):
    return demand.status == DemandStatus.PUBLISHED and bool(demand.public_snapshot)


def rank(demand, index=None, analysed=None, *, k=KEEP):
    """``[(achievement pk, score)]``: the best of all achievements and the best public ones
    (a staff-only achievement never pushes a public one out of what the public ranking keeps).
    """
    index = index if index is not None else current_index()
    analysed = analysed if analysed is not None else profile_of(demand)
    region = (demand.public_snapshot or {}).get("region_code", "") or demand.region
    options = dict(k=k, field_id=demand.industry_field_id, region=region)
    best = dict(index.top(analysed.terms, **options))
    best.update(index.top(analysed.terms, public_only=True, **options))
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def reasons_for(index, analysed, pks):
    """``{pk: reasons}`` for the achievements ``pks`` (their texts read in one query)."""
    table = current_table()
    found = {}
    for pk, title, keywords, abstract, field_id in Achievement.objects.filter(
            pk__in=pks).values_list("pk", "title", "keywords", "abstract", "industry_field_id"):
        forms = ranking.analyse(ranking.achievement_parts(title, keywords, abstract), table,
                                field_id).forms
        found[pk] = ranking.reasons(index.contributions(analysed.terms, pk), analysed.forms,
                                    forms)
    return found


def refresh_demand(demand, *, index=None):
    """Recompute and store the recommendations of ``demand`` (none unless it is published)."""
    demand = Demand.objects.select_related(None).get(pk=demand.pk)
    if not _is_current(demand):
        with transaction.atomic():
            Recommendation.objects.filter(demand=demand).delete()
            MatchProfile.objects.filter(demand=demand).delete()
        return []
    index = index if index is not None else current_index()
    analysed = profile_of(demand)
    ranked = rank(demand, index, analysed)
    reasons = reasons_for(index, analysed, [pk for pk, _score in ranked])
    rows = [Recommendation(demand=demand, achievement_id=pk, score=score,
                           reasons=reasons.get(pk, []))
            for pk, score in ranked if pk in reasons]
    with transaction.atomic():
        MatchProfile.objects.update_or_create(
            demand=demand, defaults={"terms": analysed.terms, "forms": analysed.forms})
        Recommendation.objects.filter(demand=demand).exclude(
            achievement_id__in=[row.achievement_id for row in rows]).delete()
        Recommendation.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["demand", "achievement"],
            update_fields=["score", "reasons", "computed_at"])
    return rows


def refresh_for_achievement(achievement_id):
    """After an achievement changed (or went): refresh the published demands it may now enter,
    or that list it. Returns the ids of the demands refreshed."""
    index = current_index()
    listed = set(Recommendation.objects.filter(achievement_id=achievement_id)
                 .values_list("demand_id", flat=True))
    lowest = {row["demand_id"]: (row["n"], row["low"]) for row in
              Recommendation.objects.values("demand_id").annotate(n=Count("pk"),
                                                                  low=Min("score"))}
    refreshed = []
    profiles = MatchProfile.objects.filter(demand__status=DemandStatus.PUBLISHED).values_list(
        "demand_id", "terms", "demand__industry_field_id", "demand__region")
    for demand_id, terms, field_id, region in profiles.iterator():
        if demand_id not in listed:
            if achievement_id not in index.docs:
                continue
            score = index.score_one(terms, achievement_id, field_id=field_id, region=region)
            count, low = lowest.get(demand_id, (0, 0.0))
            if score <= 0 or (count >= KEEP and score < low):
                continue
        refresh_demand(Demand(pk=demand_id), index=index)
        refreshed.append(demand_id)
    return refreshed


# Up to this many new achievements are placed one by one (each refreshes only the demands it
# enters); more, and every published demand is ranked again once, which costs the same
# whatever the number of achievements.
ONE_BY_ONE = 20


def refresh_for_achievements(achievement_ids):
    """After many achievements were listed at once (an import): refresh the published demands
    they may enter. Returns the ids of the demands refreshed."""
    achievement_ids = list(achievement_ids)
    if len(achievement_ids) <= ONE_BY_ONE:
        refreshed = set()
        for achievement_id in achievement_ids:
            refreshed.update(refresh_for_achievement(achievement_id))
        return sorted(refreshed)
    index = current_index()
    refreshed = []
    demand_ids = MatchProfile.objects.filter(demand__status=DemandStatus.PUBLISHED).values_list(
        "demand_id", flat=True)
    for demand_id in list(demand_ids):
        refresh_demand(Demand(pk=demand_id), index=index)
        refreshed.append(demand_id)
    return refreshed


def stale_demands():
    """Published demands whose recommendations were never computed or are older than their
    public text (a publication whose task the broker lost)."""
    return (Demand.objects.public().filter(status=DemandStatus.PUBLISHED)
            .annotate(profiled_at=Max("match_profile__computed_at"))
            .filter(public_indexed_at__isnull=False)
            .exclude(profiled_at__gte=F("public_indexed_at")))


def refresh_stale(limit=200):
    """Refresh what :func:`stale_demands` finds (beat, every few minutes)."""
    done = 0
    for demand in stale_demands()[:limit]:
        refresh_demand(demand)
        done += 1
    return done
