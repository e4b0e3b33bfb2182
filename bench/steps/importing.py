"""Step 4: importing a 10k-row file in the standard format through the real import path, against
a plain ``bulk_create`` of the same rows.

The file (.xlsx with the columns of the import template, ``demands.importing.template.HEADERS``;
every row a new demand of realistic text across the 33 host units, four rows per new
organisation) is imported by a Torch Center staff user (``bench.data.torch_staff``) as the
import pages do it, without HTTP: ``start_import`` (the check, a dry run) and
``confirm_import`` (the real import), each running its job eagerly (``run_job``: read the file,
validate every row, write in bulk, audit). The reference inserts the same organisations,
demands and indicators with ``bulk_create`` in one transaction, which is then rolled back.
Both are timed from the first statement to the last; the file's creation is not. Imported
rows are deleted at the end (their organisations are in the generated credit-code range, so
``generate_demands --reset`` would find them too).
"""

import io
import random
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bench.data import torch_staff
from bench.report import Row, at_most, ratio_of
from demands.generators import (
    BANKS,
    FIELD_BANKS,
    Composer,
    contest_host_units,
)
from demands.services import format_reference

# Credit-code serials of the import's organisations: the top of the generated range, far above
# what generate_demands hands out.
SERIAL_BASE = 31 ** 4 - 30_000
ROWS_PER_ORGANISATION = 4
GOAL = 5.0


class _Rollback(Exception):
    pass


def compose(count, *, seed):
    """``[(host unit, industry field, organisation, demand, indicator rows)]``, unsaved."""
    host_units, fields_by_host = contest_host_units()
    rng = random.Random(f"import:{seed}")
    now = timezone.now()
    composer = Composer(rng, now=now)
    today = timezone.localdate(now)
    items = []
    organisation = None
    for index in range(count):
        host_unit = host_units[index % len(host_units)]
        industry_field = rng.choice(fields_by_host[host_unit.pk])
        bank_name = rng.choice(FIELD_BANKS.get(industry_field.code, list(BANKS)))
        if index % ROWS_PER_ORGANISATION == 0:
            organisation = composer.organisation(
                bank_name=bank_name, region=host_unit.region,
                serial=SERIAL_BASE + index // ROWS_PER_ORGANISATION)
        demand, indicators = composer.demand(bank_name=bank_name, organisation=organisation)
        demand.solution_deadline = today + timedelta(days=rng.randint(30, 180))
        items.append((host_unit, industry_field, organisation, demand, indicators))
    return items


def standard_columns():
    """The columns of the standard format, as in the import template hosts download."""
    from demands.importing.template import HEADERS

    return list(HEADERS)


def host_unit_labels():
    """How a file names each host unit: its name, or its slug where several units share the
    name (the import refuses an ambiguous name)."""
    from collections import Counter

    from contests.models import HostUnit

    units = list(HostUnit.objects.all())
    names = Counter(unit.name for unit in units)
    return {unit.pk: unit.name if names[unit.name] == 1 else unit.slug for unit in units}


def row_of(host_unit, industry_field, organisation, demand, indicators, *, labels):
    from demands.importing import format as f

    def words(choice_words, values):
        return "、".join(choice_words.word(value) for value in values)

    return {
        f.COL_REF: "",
        f.COL_TITLE: demand.title,
        f.COL_HOST_UNIT: labels[host_unit.pk],
        f.COL_ORGANISATION: organisation.name,
        f.COL_CREDIT_CODE: organisation.credit_code,
        f.COL_ORGANISATION_KIND: f.ORGANISATION_KIND_WORDS.word(organisation.kind),
        f.COL_REGION: demand.region,
        f.COL_INDUSTRY_FIELD: industry_field.name,
        f.COL_DEMAND_TYPE: f.DEMAND_TYPE_WORDS.word(demand.demand_type),
        f.COL_KEYWORDS: "、".join(demand.keywords),
        f.COL_CURRENT_BASE: demand.current_base,
        f.COL_KEY_PROBLEM: demand.key_problem,
        f.COL_INDICATORS: "\n".join("|".join(part for part in row) for row in indicators),
        f.COL_EXPECTED_OUTCOME: demand.expected_outcome,
        f.COL_OUTCOME_FORMS: words(f.OUTCOME_WORDS, demand.outcome_forms),
        f.COL_TIME_REQUIREMENT: demand.time_requirement,
        f.COL_COOPERATION_MODES: words(f.COOPERATION_WORDS, demand.cooperation_modes),
        f.COL_IP_OWNERSHIP: f.IP_WORDS.word(demand.ip_ownership),
        f.COL_CHALLENGER_CONDITIONS: demand.challenger_conditions,
        f.COL_BUDGET: str(demand.budget),
        f.COL_PRIZE: str(demand.prize),
        f.COL_DEADLINE: demand.solution_deadline.isoformat(),
        f.COL_CONTACT_PERSON: demand.contact_person,
        f.COL_MOBILE: demand.contact_mobile,
        f.COL_LANDLINE: demand.contact_landline,
        f.COL_EMAIL: demand.contact_email,
        f.COL_HIDDEN_FIELDS: words(f.HIDDEN_WORDS, demand.hidden_fields),
        f.COL_ADDRESS: demand.address,
        f.COL_HIDDEN_PASSAGES: "\n".join(demand.hidden_passages),
    }


def xlsx_bytes(columns, rows):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("需求")
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bulk_insert(items, *, creator):
    """The reference: the same rows with ``bulk_create``; returns the seconds it took (the
    transaction is rolled back afterwards)."""
    from accounts.models import Organisation
    from demands.enums import DemandStatus
    from demands.models import Demand, Indicator

    seconds = None
    try:
        with transaction.atomic():
            started = time.perf_counter()
            organisations = list({item[2].credit_code: item[2] for item in items}.values())
            for organisation in organisations:
                organisation.pk = None
                organisation._state.adding = True
            Organisation.objects.bulk_create(organisations, batch_size=500)
            top = dict(Demand.objects.values("host_unit__event_id")
                       .annotate(top=Max("sequence")).values_list("host_unit__event_id", "top"))
            demands, now = [], timezone.now()
            for host_unit, industry_field, organisation, demand, _rows in items:
                event = host_unit.event
                top[event.pk] = (top.get(event.pk) or 0) + 1
                demand.sequence = top[event.pk]
                demand.ref = format_reference(event.contest.edition, event.number,
                                              demand.sequence)
                demand.host_unit = host_unit
                demand.industry_field = industry_field
                demand.organisation = organisation
                demand.created_by = creator
                demand.status = DemandStatus.SUBMITTED
                demand.submitted_at = now
                demand.published_at = demand.closed_at = None
                demand.national = False
                demands.append(demand)
            Demand.objects.bulk_create(demands, batch_size=500)
            Indicator.objects.bulk_create(
                [Indicator(demand=demand, position=position, name=name, target_value=target,
                           unit=unit, current_value=current)
                 for (_h, _f, _o, demand, rows) in items
                 for position, (name, target, unit, current) in enumerate(rows)],
                batch_size=500)
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return seconds


def run(report, *, rows, seed, log=print):
    from common.importexport.enums import ImportJobState
    from common.importexport.services import confirm_import, start_import
    from demands.generators import generated_organisations
    from demands.importing.resources import RESOURCE_KEY
    from demands.models import Demand

    user = torch_staff()
    items = compose(rows, seed=seed)
    columns = standard_columns()
    labels = host_unit_labels()
    data = xlsx_bytes(columns, [row_of(*item, labels=labels) for item in items])
    log(f"  file: {rows:,} rows, {len(columns)} columns, {len(data) / 1e6:.1f} MB xlsx")
    reference = bulk_insert(items, creator=user)
    log(f"  bulk_create of the same rows: {reference:.1f} s")

    before = Demand.objects.count()
    started = time.perf_counter()
    check = start_import(user=user, resource_key=RESOURCE_KEY, upload=data,
                         original_name="bench-demands.xlsx", dry_run=True)
    check.refresh_from_db()
    checked = time.perf_counter()
    if check.state != ImportJobState.DONE or check.error_count:
        raise RuntimeError(f"the check failed ({check.state}, {check.error_count} errors): "
                           f"{check.errors[:3]}")
    job = confirm_import(job=check, user=user)
    job.refresh_from_db()
    finished = time.perf_counter()
    if job.state != ImportJobState.DONE or job.error_count:
        raise RuntimeError(f"the import failed ({job.state}, {job.error_count} errors): "
                           f"{job.errors[:3]}")
    created = Demand.objects.count() - before
    if created != rows:
        raise RuntimeError(f"the import created {created} demands, not {rows}")
    check_seconds, import_seconds = checked - started, finished - checked
    log(f"  import: check {check_seconds:.1f} s, import {import_seconds:.1f} s")

    ratio = ratio_of(import_seconds, reference)
    report.add(Row(step="4", name=f"import {rows:,} rows vs bulk_create",
                   value=f"{rows / import_seconds:,.0f} rows/s",
                   reference=f"{rows / reference:,.0f} rows/s", ratio=ratio,
                   goal=f"≤ {GOAL:.0f}× the time", ok=at_most(ratio, GOAL),
                   note=f"the check (dry run) before it took {check_seconds:.1f} s "
                        f"({rows / check_seconds:,.0f} rows/s)"))
    report.details["import"] = {
        "rows": rows, "columns": columns, "file_bytes": len(data),
        "check_seconds": check_seconds, "import_seconds": import_seconds,
        "bulk_create_seconds": reference, "path": "start_import (dry run) + confirm_import, "
        "jobs run eagerly by run_job; xlsx",
    }
    # Leave no imported rows behind.
    organisations = generated_organisations().filter(credit_code__in=[
        item[2].credit_code for item in items])
    with transaction.atomic():
        Demand.objects.filter(organisation__in=organisations).delete()
        organisations.delete()
