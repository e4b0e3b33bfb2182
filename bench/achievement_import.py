"""``python -m bench.achievement_import [--rows 10000]``: the import of generated achievements
in the standard format through the real import path, against a bulk insert of the same rows,
in one run (goal: the import within 5× the bulk insert).

Rerun (PostgreSQL; the database needs ``migrate`` and ``load_contest``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_achimport \\
        .venv/bin/python -m bench.achievement_import --rows 10000

1. Generate ``--rows`` achievements (``matching.generators``) across the current contest's host
   units and their fields, four rows per holder, every holder new (credit codes at the top of
   the generated range), and write them as an .xlsx with the template's columns
   (``matching.importing.format.HEADERS``). Not timed.
2. The reference, in one transaction that is rolled back: ``bulk_create`` of the holders and of
   the same achievements — the same rows as the import stores, so with their search columns
   and ranking terms (``services.library.index_fields``, jieba and the term table), which are
   part of every achievement row. The insert alone (rows analysed beforehand) is printed too.
3. The import as the pages run it, without HTTP, as a Torch Center staff user: the check
   (``start_import``, a dry run) and the confirmed import (``confirm_import``), each job run
   by the eager Celery task (``run_job``: read the file, check every row, write in bulk,
   audit). The recommendation refresh the import queues after commit is a separate task and
   is not run (it is recorded, once per file).
4. The ratio import / reference (goal ≤ 5×). The imported rows are deleted at the end.
"""

import argparse
import io
import os
import random
import sys
import time

ROWS_PER_HOLDER = 4
# Credit-code serials of the bench's holders: far above what the demand generators use.
SERIAL_BASE = 31 ** 4 - 60_000
GOAL = 5.0


def _setup():
    # As bench.config runs the portal: production settings, no broker (tasks eager).
    for name, value in (("DJANGO_SETTINGS_MODULE", "challenge_portal.settings"),
                        ("DEBUG", "false"), ("REDIS_URL", ""),
                        ("CELERY_TASK_ALWAYS_EAGER", "true"),
                        ("SECRET_KEY", "bench-achievement-import"),
                        ("AUDIT_HMAC_KEY", "bench-achievement-import-audit"),
                        ("LOG_LEVEL", "WARNING")):
        os.environ.setdefault(name, value)
    import django

    django.setup()


class _Rollback(Exception):
    pass


def credit_code(serial):
    from accounts.credit_code import ALPHABET, check_character

    digits = []
    for _ in range(5):
        serial, rest = divmod(serial, 31)
        digits.append(ALPHABET[rest])
    body = "91610131MB" + "".join(reversed(digits)) + "00"
    return body + check_character(body)


def compose(count, seed):
    """``[dict]`` rows of the standard format and the holders' codes."""
    from demands.generators import contest_host_units
    from demands.importing.format import COOPERATION_WORDS
    from matching.generators import achievements
    from matching.importing import format as f

    host_units, fields_by_host = contest_host_units()
    by_code = {}
    for fields in fields_by_host.values():
        for field in fields:
            by_code[field.code] = field
    rng = random.Random(f"achievement-import:{seed}")
    rows, codes = [], []
    for index, item in enumerate(achievements(count, sorted(by_code), seed=seed)):
        unit = host_units[index % len(host_units)]
        field = by_code[item["field"]]
        holder = index // ROWS_PER_HOLDER
        code = credit_code(SERIAL_BASE + holder)
        if index % ROWS_PER_HOLDER == 0:
            codes.append(code)
        rows.append({
            f.COL_TITLE: item["title"],
            f.COL_HOST_UNIT: unit.slug,
            f.COL_OWNER: f"基准成果持有单位{holder:05d}",
            f.COL_CREDIT_CODE: code,
            f.COL_OWNER_KIND: rng.choice(["企业", "高校", "科研院所"]),
            f.COL_REGION: unit.region,
            f.COL_INDUSTRY_FIELD: field.name,
            f.COL_KEYWORDS: "、".join(item["keywords"]),
            f.COL_ABSTRACT: item["abstract"],
            f.COL_TRL: item["trl"],
            f.COL_PATENTS: "、".join(item["patent_numbers"]),
            f.COL_COOPERATION_MODES: "、".join(COOPERATION_WORDS.word(mode)
                                            for mode in item["cooperation_modes"]),
            f.COL_VISIBILITY: "公开" if rng.random() > 0.1 else "仅工作人员可见",
        })
    return rows, codes, host_units


def xlsx_bytes(rows):
    import openpyxl

    from matching.importing.format import HEADERS

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("科技成果")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(header, "") for header in HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bulk_insert(rows, *, creator):
    """The reference: ``(seconds with the analysis, seconds of the inserts alone)``; rolled
    back."""
    from django.db import transaction

    from accounts.models import Organisation
    from contests.models import HostUnit, IndustryField
    from demands.importing.format import COOPERATION_WORDS, ORGANISATION_KIND_WORDS
    from matching.importing import format as f
    from matching.models import Achievement
    from matching.services.library import index_fields
    from matching.terms import current_table

    units = {unit.slug: unit for unit in HostUnit.objects.all()}
    fields = {field.name: field for field in IndustryField.objects.all()}
    timings = None
    try:
        with transaction.atomic():
            started = time.perf_counter()
            table = current_table()
            holders = {}
            for row in rows:
                code = row[f.COL_CREDIT_CODE]
                if code not in holders:
                    holders[code] = Organisation(
                        name=row[f.COL_OWNER], credit_code=code, region=row[f.COL_REGION],
                        kind=ORGANISATION_KIND_WORDS.lookup(row[f.COL_OWNER_KIND]))
            achievements = []
            for row in rows:
                achievement = Achievement(
                    owner=holders[row[f.COL_CREDIT_CODE]], host_unit=units[row[f.COL_HOST_UNIT]],
                    created_by=creator, title=row[f.COL_TITLE], abstract=row[f.COL_ABSTRACT],
                    industry_field=fields[row[f.COL_INDUSTRY_FIELD]],
                    keywords=row[f.COL_KEYWORDS].split("、"), trl=row[f.COL_TRL],
                    patent_numbers=[n for n in row[f.COL_PATENTS].split("、") if n],
                    region=row[f.COL_REGION],
                    cooperation_modes=[COOPERATION_WORDS.lookup(word) for word in
                                       row[f.COL_COOPERATION_MODES].split("、")],
                    visibility="public" if row[f.COL_VISIBILITY] == "公开" else "staff")
                index_fields(achievement, table)
                achievements.append(achievement)
            analysed = time.perf_counter()
            Organisation.objects.bulk_create(list(holders.values()), batch_size=500)
            for achievement in achievements:
                achievement.owner = achievement.owner
            Achievement.objects.bulk_create(achievements, batch_size=500)
            finished = time.perf_counter()
            timings = (finished - started, finished - analysed)
            raise _Rollback
    except _Rollback:
        pass
    return timings


def measure(rows_count, seed, log=print):
    """Import ``rows_count`` generated achievements and their bulk-insert reference; returns
    ``{"reference_s", "insert_only_s", "check_s", "import_s", "ratio", "queued"}``. The
    imported rows are deleted afterwards. Needs Django set up on PostgreSQL."""
    from django.db import connection, transaction

    from accounts.models import Organisation
    from bench.data import torch_staff
    from common.importexport.enums import ImportJobState
    from common.importexport.services import confirm_import, start_import
    from matching import ranking, tasks
    from matching.importing.resources import RESOURCE_KEY
    from matching.models import Achievement
    from matching.terms import current_table

    queued, codes = [], []
    enqueue = tasks._enqueue
    tasks._enqueue = lambda task, **ids: queued.append((task.name, len(ids.get(
        "achievement_ids", ()))))
    try:
        user = torch_staff()
        rows, codes, _units = compose(rows_count, seed)
        data = xlsx_bytes(rows)
        log(f"  {connection.vendor}: {rows_count:,} rows, {len(codes):,} new holders, "
            f"{len(data) / 1e6:.1f} MB xlsx")
        # Warm up what both sides use (jieba's dictionary, the term table) before timing.
        ranking.analyse(ranking.achievement_parts(rows[0]["成果名称"], [], rows[0]["成果简介"]),
                        current_table(), None)
        reference, insert_only = bulk_insert(rows, creator=user)
        log(f"  bulk insert of the same rows: {reference:6.1f} s "
            f"(of which the inserts alone {insert_only:.1f} s)")
        before = Achievement.objects.count()
        started = time.perf_counter()
        check = start_import(user=user, resource_key=RESOURCE_KEY, upload=data,
                             original_name="bench-achievements.xlsx", dry_run=True)
        check.refresh_from_db()
        checked = time.perf_counter()
        if check.state != ImportJobState.DONE or check.error_count:
            raise RuntimeError(f"the check failed ({check.state}): {check.errors[:3]}")
        job = confirm_import(job=check, user=user)
        job.refresh_from_db()
        finished = time.perf_counter()
        if job.state != ImportJobState.DONE or job.error_count:
            raise RuntimeError(f"the import failed ({job.state}): {job.errors[:3]}")
        created = Achievement.objects.count() - before
        if created != rows_count:
            raise RuntimeError(f"the import listed {created} achievements, not {rows_count}")
    finally:
        tasks._enqueue = enqueue
        with transaction.atomic():
            organisations = Organisation.objects.filter(credit_code__in=codes)
            Achievement.objects.filter(owner__in=organisations).delete()
            organisations.delete()
    check_seconds, import_seconds = checked - started, finished - checked
    log(f"  import (confirmed job): {import_seconds:6.1f} s "
        f"({rows_count / import_seconds:,.0f} rows/s); the check before it {check_seconds:.1f} s;"
        f" refreshes queued: {queued}")
    return {"reference_s": reference, "insert_only_s": insert_only, "check_s": check_seconds,
            "import_s": import_seconds, "ratio": import_seconds / reference, "queued": queued}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.achievement_import",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup()
    result = measure(args.rows, args.seed)
    print(f"  import / bulk insert: {result['ratio']:.2f}× (goal ≤ {GOAL:.0f}×); "
          f"vs the inserts alone {result['import_s'] / result['insert_only_s']:.1f}×")
    return 0 if result["ratio"] <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
