"""Writes to the achievement library: listing, editing and removing an achievement. Each write
stores the search columns and the ranking terms from the achievement's texts, and asks for its
recommendations to be refreshed after commit (Celery)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action

from .. import ranking
from ..models import PATENT_NUMBER, Achievement
from ..public import PUBLIC_ACHIEVEMENTS
from ..search import search_columns
from ..terms import current_table
from .base import MatchingError

CONTENT_FIELDS = ("title", "abstract", "industry_field", "keywords", "trl", "patent_numbers",
                  "region", "cooperation_modes", "visibility")
MAX_KEYWORDS = 8


def split_list(value):
    """Keywords or patent numbers typed in one box, separated by commas, 、, ；or spaces."""
    if isinstance(value, list | tuple):
        items = value
    else:
        items = re.split(r"[,，、;；\s]+", value or "")
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def check_patent_numbers(numbers):
    """The numbers, upper-cased; a malformed one is refused on the field."""
    checked = []
    for number in numbers:
        number = number.strip().upper().replace(" ", "")
        try:
            PATENT_NUMBER(number)
        except ValidationError:
            raise MatchingError(
                _("“%(number)s” is not a Chinese patent number (such as ZL202010123456.7 or "
                  "CN112345678A).") % {"number": number},
                code="patent_number", field="patent_numbers") from None
        checked.append(number)
    return checked


def index_fields(achievement, table=None):
    """Write the search columns and the ranking terms of ``achievement`` (not saved)."""
    for name, value in search_columns(achievement).items():
        setattr(achievement, name, value)
    analysed = ranking.analyse(
        ranking.achievement_parts(achievement.title, achievement.keywords,
                                  achievement.abstract),
        table if table is not None else current_table(), achievement.industry_field_id)
    achievement.match_terms = analysed.stored()
    return achievement


INDEX_FIELDS = ("search_title", "search_tokens", "search_bigrams", "match_terms")


def _prepare(achievement):
    achievement.keywords = split_list(achievement.keywords)[:MAX_KEYWORDS]
    achievement.patent_numbers = check_patent_numbers(split_list(achievement.patent_numbers))
    if not achievement.title.strip() or not achievement.abstract.strip():
        raise MatchingError(_("An achievement needs a title and an abstract."), code="required")
    index_fields(achievement)


def _after_commit(achievement_id):
    from ..tasks import _enqueue, refresh_for_achievement

    PUBLIC_ACHIEVEMENTS.invalidate()  # the open-data API's validators follow this namespace

    transaction.on_commit(
        lambda: _enqueue(refresh_for_achievement, achievement_id=achievement_id))


def create_achievement(achievement, *, actor, request=None):
    """List a new achievement (``achievement``: an unsaved instance with its owner)."""
    _prepare(achievement)
    with transaction.atomic():
        achievement.created_by = actor
        achievement.save()
        log_action("portal.matching.achievement.create", actor=actor, obj=achievement,
                   request=request)
        _after_commit(achievement.pk)
    return achievement


def update_achievement(achievement, *, actor, request=None):
    """Save the edited ``achievement`` and refresh what depends on its texts."""
    _prepare(achievement)
    with transaction.atomic():
        achievement.save(update_fields=[*CONTENT_FIELDS, *INDEX_FIELDS, "updated_at"])
        log_action("portal.matching.achievement.update", actor=actor, obj=achievement,
                   request=request)
        _after_commit(achievement.pk)
    return achievement


WRITE_BATCH = 500


def create_achievements(achievements, *, actor, host_units=(), organisations_created=0):
    """List many achievements at once (an import, ``matching.importing``): each prepared as
    ``create_achievement`` does (lists split, patent numbers checked, search columns and
    ranking terms written with one term table), then inserted with ``bulk_create``; one audit
    entry, and one recommendation refresh for all of them after commit (Celery). Runs inside
    the caller's transaction; returns the achievements."""
    table = current_table()
    now = timezone.now()
    for achievement in achievements:
        achievement.keywords = split_list(achievement.keywords)[:MAX_KEYWORDS]
        achievement.patent_numbers = check_patent_numbers(split_list(achievement.patent_numbers))
        if not achievement.title.strip() or not achievement.abstract.strip():
            raise MatchingError(_("An achievement needs a title and an abstract."),
                                code="required")
        achievement.created_by = actor
        achievement.listed_at = now
        index_fields(achievement, table)
    with transaction.atomic():
        Achievement.objects.bulk_create(achievements, batch_size=WRITE_BATCH)
        ids = [achievement.pk for achievement in achievements]
        log_action("portal.matching.achievement.import", actor=actor, data={
            "created": len(ids),
            "first_id": min(ids, default=None), "last_id": max(ids, default=None),
            "host_units": sorted({unit.pk for unit in host_units}),
            "organisations_created": organisations_created,
        })
        if ids:
            _after_bulk_commit(ids)
    return achievements


def _after_bulk_commit(achievement_ids):
    from ..tasks import _enqueue, refresh_for_achievements

    transaction.on_commit(
        lambda: _enqueue(refresh_for_achievements, achievement_ids=achievement_ids))


def delete_achievement(achievement, *, actor, request=None):
    with transaction.atomic():
        pk = achievement.pk
        log_action("portal.matching.achievement.delete", actor=actor, obj=achievement,
                   data={"title": achievement.title}, request=request)
        achievement.delete()
        _after_commit(pk)


def reindex_all(queryset=None, *, batch=500):
    """Rewrite every achievement's search columns and terms (after the term table changed)."""
    table = current_table()
    now = timezone.now()
    queryset = queryset if queryset is not None else Achievement.objects.all()
    changed = []
    for achievement in queryset.iterator(chunk_size=batch):
        achievement.updated_at = now
        changed.append(index_fields(achievement, table))
        if len(changed) >= batch:
            Achievement.objects.bulk_update(changed, [*INDEX_FIELDS, "updated_at"])
            changed = []
    if changed:
        Achievement.objects.bulk_update(changed, [*INDEX_FIELDS, "updated_at"])
    PUBLIC_ACHIEVEMENTS.invalidate()
