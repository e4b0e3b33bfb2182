"""Many demands at once, for the standard-format import: the bulk forms of
:func:`.content.create_demand` and :func:`.content.update_demand`, submitting through
:func:`.workflow.submit_demands`.

They follow the single-demand rules (the reference numbering of :func:`.content.next_sequence`
and :func:`.content.format_reference`, the stale-wording rule of
:func:`.content.stale_wordings`, the history of :func:`.workflow.submit_demands`) but write
with a few statements per 500 rows. The caller has validated every demand beforehand
(``submission_problems`` and the checks of the organiser pages, row by row, so each error
names its row) and runs them inside one transaction: a :class:`DemandError` leaves nothing
written once that transaction rolls back.
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from contests.selectors import current_contest

from ..enums import DemandStatus
from ..models import Demand, Indicator
from .base import CONTENT_FIELDS, WORDING_FIELDS, DemandError
from .content import REF_ATTEMPTS, format_reference, next_sequence, stale_wordings
from .workflow import WRITE_BATCH, submit_demands

INDICATOR_FIELDS = ("name", "target_value", "unit", "current_value")
# What a bulk update may change: the standard-format fields and the host unit (within its
# event, which the reference carries).
UPDATABLE_FIELDS = (*CONTENT_FIELDS, "host_unit")


def create_demands(demands, *, actor, indicators, submit=False, comment=""):
    """Insert many new demands that host staff enter for companies; returns them, saved.

    ``demands`` are unsaved :class:`Demand` instances with their host unit (of the current
    edition; ``host_unit.event`` loaded) and organisation set; ``indicators`` gives, in the same
    order, each demand's indicators as dicts of name, target_value, unit and current_value.
    They are numbered per event in one block each, as :func:`.content.create_demand` numbers
    one; a reference taken meanwhile by another writer makes the block start again past it.
    With ``submit`` they are inserted submitted, with their history
    (:func:`.workflow.submit_demands`).
    """
    demands = list(demands)
    if not demands:
        return demands
    contest = current_contest()
    for demand in demands:
        if contest is None or demand.host_unit.event.contest_id != contest.pk:
            raise DemandError(gettext("Demands are filed with a host unit of the current edition."))
        demand.created_by = actor
        demand.entered_by_host = True
        demand.status = DemandStatus.DRAFT

    def insert(rows):
        _insert_numbered(rows, edition=contest.edition)

    if submit:
        submit_demands(demands, actor=actor, comment=comment, save=insert)
    else:
        insert(demands)
    Indicator.objects.bulk_create(
        [
            Indicator(demand=demand, position=position, **_indicator_values(data))
            for demand, rows in zip(demands, indicators, strict=True)
            for position, data in enumerate(rows)
        ],
        batch_size=WRITE_BATCH,
    )
    return demands


def update_demands(demands, *, actor, opened, fields, indicators, submit=False, comment=""):
    """Save changes to many existing demands (drafts or demands returned for revision);
    returns them.

    ``opened`` maps each demand's pk to what the caller read before changing the instance:
    ``status``, ``updated_at``, ``texts`` (the :data:`WORDING_FIELDS` texts) and ``indicators``
    (its saved rows in order). Under a row lock, a demand changed since then refuses the whole
    batch. ``fields`` names the attributes changed (of :data:`UPDATABLE_FIELDS`);
    ``indicators`` gives each demand's new indicators, matched to the saved ones by position
    so an indicator that stays keeps its id. Accepted public wordings of rewritten texts are
    dropped (:func:`.content.stale_wordings`). With ``submit`` the demands are submitted again
    (:func:`.workflow.submit_demands`).
    """
    demands = list(demands)
    if not demands:
        return demands
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise DemandError(
            gettext("Unknown demand fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    current = dict(
        Demand.objects.select_for_update()
        .filter(pk__in=[demand.pk for demand in demands])
        .values_list("pk", "updated_at")
    )
    now = timezone.now()
    for demand in demands:
        before = opened[demand.pk]
        if current.get(demand.pk) != before["updated_at"]:
            raise DemandError(
                gettext(
                    "Demand %(ref)s was changed by someone else while the file was being "
                    "imported; nothing was saved. Please import the file again."
                )
                % {"ref": demand.ref}
            )
        wording = dict(demand.public_wording or {})
        after = {name: getattr(demand, name) for name in WORDING_FIELDS}
        for name in stale_wordings(wording, before=before["texts"], after=after):
            wording.pop(name)
        demand.public_wording = wording
        demand.updated_at = now
    saved = [*fields, "public_wording"]
    if submit:
        previous = {demand.pk: opened[demand.pk]["status"] for demand in demands}
        submit_demands(demands, actor=actor, comment=comment, previous=previous, fields=saved)
    else:
        Demand.objects.bulk_update(demands, [*saved, "updated_at"], batch_size=WRITE_BATCH)
    _replace_indicators(demands, opened, indicators)
    return demands


def _indicator_values(data):
    return {key: data.get(key) or "" for key in INDICATOR_FIELDS}


def _insert_numbered(demands, *, edition):
    by_event = defaultdict(list)
    for demand in demands:
        by_event[demand.host_unit.event].append(demand)
    floors = {}
    for _attempt in range(REF_ATTEMPTS):
        for event, rows in by_event.items():
            start = max(next_sequence(event.pk), floors.get(event.pk, 0))
            floors[event.pk] = start
            for offset, demand in enumerate(rows):
                demand.sequence = start + offset
                demand.ref = format_reference(edition, event.number, demand.sequence)
        try:
            with transaction.atomic():
                Demand.objects.bulk_create(demands, batch_size=WRITE_BATCH)
            return
        except IntegrityError:
            for demand in demands:
                demand.pk = None
                demand._state.adding = True
            floors = {event_id: start + 1 for event_id, start in floors.items()}
    raise DemandError(
        gettext(
            "The demands could not be numbered; nothing was saved. Please import the file again."
        )
    )


def _replace_indicators(demands, opened, indicators):
    new_rows, changed_rows, removed = [], [], []
    for demand, rows in zip(demands, indicators, strict=True):
        existing = opened[demand.pk]["indicators"]
        for position, data in enumerate(rows):
            if position < len(existing):
                row = existing[position]
                for key, value in _indicator_values(data).items():
                    setattr(row, key, value)
                row.position = position
                changed_rows.append(row)
            else:
                new_rows.append(
                    Indicator(demand=demand, position=position, **_indicator_values(data))
                )
        removed += [row.pk for row in existing[len(rows) :]]
    Indicator.objects.bulk_create(new_rows, batch_size=WRITE_BATCH)
    if changed_rows:
        Indicator.objects.bulk_update(
            changed_rows, [*INDICATOR_FIELDS, "position"], batch_size=WRITE_BATCH
        )
    if removed:
        Indicator.objects.filter(pk__in=removed).delete()
