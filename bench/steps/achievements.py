"""Steps ``matching`` and ``achievement-import``: the achievement library at national scale.

``matching``: the bench database keeps a library of generated achievements (100k at the full
scale; ``matching.generators`` through the holders and rows of
``bench.achievement_import.compose``, each row analysed as the portal stores it,
``services.library.index_fields``), written once and reused by later runs. The portal's index
is built from those rows as a worker builds it (``services.recommend.build_index``, timed for
information), then for published demands of the bench database the recommendations are
ranked as a refresh ranks them (``services.recommend.rank``: the best of all and the best
public ones, on the demand's stored public text) against a brute force that scores every
achievement with the same formula (``ranking.Index.brute_force``). Goal: ≥ 20× faster at p50
and p95, and the same top 10 on every demand.

``achievement-import``: a 10k-row achievement file through the real import path (check, then
the confirmed import) against a bulk insert of the same rows with their search columns and
ranking terms (``bench.achievement_import.measure``; goal within 5×).
"""

import statistics
import time

from django.db import transaction

from bench.report import Row, at_least, at_most, ms, ratio_of

LIBRARY_HOLDER = "基准成果库单位"
# Credit-code serials of the library's holders: below the achievement import's range.
LIBRARY_SERIAL_BASE = 31 ** 4 - 200_000
CHUNK = 2_000
SPEED_GOAL = 20.0


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def library_size():
    from matching.models import Achievement

    return Achievement.objects.filter(owner__name__startswith=LIBRARY_HOLDER).count()


def grow_library(target, *, seed, log):
    """Write generated achievements until the library holds ``target``."""
    from accounts.models import Organisation
    from bench import achievement_import as source
    from bench.data import torch_staff
    from contests.models import HostUnit, IndustryField
    from demands.importing.format import COOPERATION_WORDS, ORGANISATION_KIND_WORDS
    from matching.importing import format as f
    from matching.models import Achievement
    from matching.services.library import index_fields
    from matching.terms import current_table

    have = library_size()
    if have >= target:
        log(f"  reusing the library of {have:,} generated achievements")
        return
    started = time.perf_counter()
    creator = torch_staff()
    units = {unit.slug: unit for unit in HostUnit.objects.all()}
    fields = {field.name: field for field in IndustryField.objects.all()}
    table = current_table()
    rows, _codes, _units = source.compose(target, seed)
    for first in range(have, target, CHUNK):
        chunk = rows[first:first + CHUNK]
        holders = {}
        achievements = []
        for offset, row in enumerate(chunk):
            serial = (first + offset) // source.ROWS_PER_HOLDER
            code = source.credit_code(LIBRARY_SERIAL_BASE + serial)
            if code not in holders:
                holders[code] = Organisation(
                    name=f"{LIBRARY_HOLDER}{serial:06d}", credit_code=code,
                    region=row[f.COL_REGION],
                    kind=ORGANISATION_KIND_WORDS.lookup(row[f.COL_OWNER_KIND]))
            achievement = Achievement(
                owner=holders[code], host_unit=units[row[f.COL_HOST_UNIT]], created_by=creator,
                title=row[f.COL_TITLE], abstract=row[f.COL_ABSTRACT],
                industry_field=fields[row[f.COL_INDUSTRY_FIELD]],
                keywords=row[f.COL_KEYWORDS].split("、"), trl=row[f.COL_TRL],
                patent_numbers=[n for n in row[f.COL_PATENTS].split("、") if n],
                region=row[f.COL_REGION],
                cooperation_modes=[COOPERATION_WORDS.lookup(word) for word in
                                   row[f.COL_COOPERATION_MODES].split("、")],
                visibility="public" if row[f.COL_VISIBILITY] == "公开" else "staff")
            index_fields(achievement, table)
            achievements.append(achievement)
        with transaction.atomic():
            existing = {o.credit_code: o for o in
                        Organisation.objects.filter(credit_code__in=list(holders))}
            Organisation.objects.bulk_create(
                [o for code, o in holders.items() if code not in existing], batch_size=500)
            for achievement in achievements:
                achievement.owner = existing.get(achievement.owner.credit_code,
                                                 achievement.owner)
            Achievement.objects.bulk_create(achievements, batch_size=500)
        log(f"  library: {first + len(chunk):,}/{target:,} achievements "
            f"({time.perf_counter() - started:.0f} s)")


def run_recommendations(report, *, achievements, demands, seed, log):
    from demands.enums import DemandStatus
    from demands.models import Demand
    from matching.services import recommend
    from matching.terms import current_table

    grow_library(achievements, seed=seed, log=log)
    started = time.perf_counter()
    index = recommend.build_index()
    built = time.perf_counter() - started
    log(f"  index of {len(index):,} achievements built from the database in {built:.1f} s")
    table = current_table()
    sample = list(Demand.objects.filter(status=DemandStatus.PUBLISHED)
                  .exclude(public_snapshot={}).order_by("pk")
                  .only("pk", "public_snapshot", "industry_field_id", "region", "status")
                  [:demands * 40:40])
    fast, slow, same = [], [], 0
    for demand in sample:
        analysed = recommend.profile_of(demand, table)
        t0 = time.perf_counter()
        ranked = recommend.rank(demand, index, analysed)
        t1 = time.perf_counter()
        region = (demand.public_snapshot or {}).get("region_code", "") or demand.region
        options = dict(k=recommend.KEEP, field_id=demand.industry_field_id, region=region)
        brute = dict(index.brute_force(analysed.terms, **options))
        brute.update(index.brute_force(analysed.terms, public_only=True, **options))
        t2 = time.perf_counter()
        fast.append(t1 - t0)
        slow.append(t2 - t1)
        top = [pk for pk, _score in ranked[:10]]
        brute_top = [pk for pk, _score in sorted(brute.items(),
                                                 key=lambda item: (-item[1], item[0]))[:10]]
        same += top == brute_top
    p50, p95 = statistics.median(fast), _percentile(fast, 0.95)
    b50, b95 = statistics.median(slow), _percentile(slow, 0.95)
    n = len(index)
    for label, value, reference in (("p50", p50, b50), ("p95", p95, b95)):
        speed = ratio_of(reference, value)
        report.add(Row(step="matching",
                       name=f"recommendations {label} over {n:,} achievements vs brute force",
                       value=ms(value), reference=ms(reference), ratio=speed,
                       goal=f"≥ {SPEED_GOAL:.0f}× faster", ok=at_least(speed, SPEED_GOAL)))
    report.add(Row(step="matching", name="same top 10 as the brute force",
                   value=f"{same}/{len(sample)}", reference="all", ratio=None,
                   goal="all demands", ok=same == len(sample) and bool(sample)))
    report.details["matching"] = {
        "achievements": n, "demands": len(sample), "index_build_s": built,
        "index_ms": {"p50": p50 * 1000, "p95": p95 * 1000},
        "brute_force_ms": {"p50": b50 * 1000, "p95": b95 * 1000}, "same_top10": same,
    }


def run_import(report, *, rows, seed, log):
    from bench.achievement_import import GOAL, measure

    result = measure(rows, seed, log=log)
    ratio = result["ratio"]
    report.add(Row(step="achievement-import",
                   name=f"achievement import of {rows:,} rows vs bulk insert",
                   value=f"{result['import_s']:.1f} s", reference=f"{result['reference_s']:.1f} s",
                   ratio=ratio, goal=f"≤ {GOAL:.0f}×", ok=at_most(ratio, GOAL)))
    report.details["achievement_import"] = {"rows": rows, **result}
