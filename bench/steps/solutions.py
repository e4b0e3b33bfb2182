"""Steps 6 and 7 (the solutions app), measured in-process on PostgreSQL with Django's test
client, so no server or cache is involved.

6. ``solutions``: the owner's list of one demand's solutions (pages and filters) and the
   side-by-side comparison of four, p95 with 10k solutions in the database and again after
   growing it to 1M (``--solutions-large``); goal ≤ 1.5×. The measured demand always has the
   same 200 solutions (4 indicators, each answered); the rest are other demands' solutions,
   written with ``INSERT … SELECT`` from ``generate_series`` (one statement per batch).
7. ``board``: the organiser's unanswered board for one host unit holding 100k published
   demands (half answered), built by ``solutions.selectors.unanswered_board`` and
   ``board_rows`` for the first page (count + 50 rows), against the same answer in raw SQL;
   goal within 2×.

Everything generated here is removed at the end.
"""

import time

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.client import Timings
from bench.report import Row, at_most, ms, ratio_of

PREFIX = "BENCHSOL"
MEASURED = 200
ORGS = 1000
LIST_GOAL = 1.5
BOARD_GOAL = 2.0


def _client(user):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _time(function, *, iterations, warmup=5):
    for _ in range(warmup):
        function(0)
    timings = Timings()
    for i in range(iterations):
        started = time.perf_counter()
        function(i)
        timings.seconds.append(time.perf_counter() - started)
    return timings


def _get(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return response


# --- data ---------------------------------------------------------------------------------------
def _template_demand(host_unit, organisation, user, ref, *, indicators=0):
    from demands.enums import DemandStatus
    from demands.models import Demand, Indicator

    demand = Demand.objects.create(
        ref=ref, sequence=900_000, host_unit=host_unit, organisation=organisation,
        created_by=user, status=DemandStatus.PUBLISHED, title=f"{PREFIX} 基准需求",
        demand_type="research", key_problem="基准", expected_outcome="基准", region="610100",
        contact_person="基准", contact_mobile="13800000000", contact_email="b@bench.invalid",
        cooperation_modes=["joint"], published_at=timezone.now(),
        solution_deadline=timezone.localdate() + timezone.timedelta(days=60))
    Indicator.objects.bulk_create([
        Indicator(demand=demand, position=i, name=f"指标{i}", target_value="≥1", unit="%")
        for i in range(indicators)])
    return demand


def _setup():
    from accounts.models import Membership, Organisation, User
    from contests.models import HostUnit

    host_unit = HostUnit.objects.order_by("pk").first()
    owner = User.objects.create(email=f"{PREFIX.lower()}-owner@bench.invalid",
                                full_name="Bench owner")
    owner_org = Organisation.objects.create(name=f"{PREFIX} 需求方", kind="enterprise",
                                            region="610100")
    Membership.objects.create(user=owner, organisation=owner_org, role="admin",
                              state="active")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_organisation (name, kind, credit_code_override, region, "
            "address, verified, created_at) SELECT %s || n, 'team', false, '610100', '', false, "
            "now() FROM generate_series(1, %s) AS n", [f"{PREFIX} 团队", ORGS])
    orgs = list(Organisation.objects.filter(name__startswith=f"{PREFIX} 团队")
                .order_by("pk").values_list("pk", flat=True))
    measured = _template_demand(host_unit, owner_org, owner, f"{PREFIX}-0", indicators=4)
    return host_unit, owner, owner_org, orgs, measured


def _insert_solutions(demand_ids, org_ids, user_id, *, limit_orgs=None):
    """One solution of each organisation (of the first ``limit_orgs``) to each demand."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO solutions_solution (demand_id, organisation_id, created_by_id, status, "
            "title, summary, approach, trl, ip_status, patent_numbers, team_lead, team_members, "
            "team_institution, cost, duration_months, cooperation_mode, decision_reason, "
            "version, submitted_at, created_at, updated_at) "
            "SELECT d, o, %s, CASE WHEN o %% 7 = 0 THEN 'shortlisted' ELSE 'submitted' END, "
            "'基准方案 ' || o, '概述', '技术路线', 1 + o %% 9, 'none', '[]', '负责人', '', '', "
            "50 + o %% 400, 6 + o %% 30, 'joint', '', 1, now() - (o || ' minutes')::interval, "
            "now(), now() "
            "FROM unnest(%s::bigint[]) AS d CROSS JOIN unnest(%s::bigint[]) AS o",
            [user_id, list(demand_ids), list(org_ids[:limit_orgs] if limit_orgs else org_ids)])
        return cursor.rowcount


def _filler_demands(host_unit, owner_org, owner, count, start):
    from demands.models import Demand

    template = Demand.objects.get(ref=f"{PREFIX}-0")
    rows = []
    for i in range(start, start + count):
        template.pk = None
        template.ref = f"{PREFIX}-{i}"
        template.sequence = 900_000 + i
        rows.append(Demand(**{f.attname: getattr(template, f.attname)
                              for f in Demand._meta.concrete_fields
                              if not f.primary_key and not f.generated}))
    created = Demand.objects.bulk_create(rows, batch_size=1000)
    return [demand.pk for demand in created]


def _grow_solutions(target, state, log):
    """Add other demands' solutions until the table holds ``target`` rows."""
    from solutions.models import Solution

    have = Solution.objects.count()
    while have < target:
        demands_needed = min(50, -(-(target - have) // ORGS))
        ids = _filler_demands(state["unit"], state["owner_org"], state["owner"], demands_needed,
                              state["next_demand"])
        state["next_demand"] += demands_needed
        remaining = target - have
        limit = ORGS if remaining >= ORGS * len(ids) else max(1, remaining // len(ids))
        with transaction.atomic():
            have += _insert_solutions(ids, state["orgs"], state["owner"].pk, limit_orgs=limit)
        log(f"  solutions: {have:,}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE solutions_solution")
        cursor.execute("VACUUM ANALYZE solutions_indicatoranswer")
    return have


def _measure_owner_pages(state, iterations):
    from solutions.models import Solution

    demand = state["measured"]
    client = _client(state["owner"])
    ids = list(Solution.objects.filter(demand=demand).order_by("pk").values_list("pk", flat=True))
    base = f"/solutions/demand/{demand.ref}/"
    lists = [base, base + "?page=2", base + "?page=4", base + "?status=shortlisted",
             base + "?trl_min=5&cost_max=300", base + "?mode=joint&page=3"]
    compares = [base + "compare/?" + "&".join(f"ids={pk}" for pk in ids[i:i + 4])
                for i in range(0, 40, 4)]
    per_path = {}

    def timed_list(i):
        started = time.perf_counter()
        _get(client, lists[i % len(lists)])
        per_path.setdefault(lists[i % len(lists)].removeprefix(base) or "(first page)",
                            []).append(time.perf_counter() - started)

    result = {
        "owner list": _time(timed_list, iterations=iterations),
        "comparison of four": _time(lambda i: _get(client, compares[i % len(compares)]),
                                    iterations=iterations),
    }
    result["per path"] = {path: Timings(seconds=values) for path, values in per_path.items()}
    return result


def run_solutions(report, *, small, large, iterations, log):
    from solutions.models import IndicatorAnswer, Solution

    started = time.perf_counter()
    unit, owner, owner_org, orgs, measured = _setup()
    state = {"unit": unit, "owner": owner, "owner_org": owner_org, "orgs": orgs,
             "measured": measured, "next_demand": 1}
    try:
        _insert_solutions([measured.pk], orgs, owner.pk, limit_orgs=MEASURED)
        indicators = list(measured.indicators.values_list("pk", flat=True))
        IndicatorAnswer.objects.bulk_create([
            IndicatorAnswer(solution_id=pk, indicator_id=indicator, promised_value="≥2",
                            verification="test_report")
            for pk in Solution.objects.filter(demand=measured).values_list("pk", flat=True)
            for indicator in indicators])
        timings = {}
        for scale in (small, large):
            grew = time.perf_counter()
            have = _grow_solutions(scale, state, log)
            log(f"  {have:,} solutions in {time.perf_counter() - grew:.0f} s")
            timings[scale] = _measure_owner_pages(state, iterations)
            per_path = timings[scale].pop("per path")
            log("  at {:,}: {}".format(scale, ", ".join(
                f"{kind} p50 {t.p50 * 1000:.1f} ms p95 {t.p95 * 1000:.1f} ms"
                for kind, t in timings[scale].items())))
            log("    per list path (p50/p95 ms): " + "; ".join(
                f"{path} {t.p50 * 1000:.0f}/{t.p95 * 1000:.0f}" for path, t in per_path.items()))
            report.details.setdefault("solutions_paths", {})[str(scale)] = {
                path: t.as_dict() for path, t in per_path.items()}
        for kind in ("owner list", "comparison of four"):
            for name in ("p50", "p95"):
                value = getattr(timings[large][kind], name)
                reference = getattr(timings[small][kind], name)
                ratio = ratio_of(value, reference)
                report.add(Row(step="6", name=f"{kind} {name} ({large:,} vs {small:,} solutions)",
                               value=ms(value), reference=ms(reference), ratio=ratio,
                               goal=f"≤ {LIST_GOAL}×", ok=at_most(ratio, LIST_GOAL)))
        report.details["solutions"] = {
            str(scale): {kind: t.as_dict() for kind, t in per.items()}
            for scale, per in timings.items()}
        report.details["solutions"]["seconds"] = time.perf_counter() - started
    finally:
        _cleanup(log)


# --- the unanswered board -------------------------------------------------------------------
RAW_BOARD = """
    SELECT d.id, d.ref, d.title, d.published_at, u.name, u.response_deadline_days
    FROM demands_demand d JOIN contests_hostunit u ON u.id = d.host_unit_id
    WHERE d.host_unit_id = %s AND d.status = 'published' AND d.published_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM solutions_demandresponse r WHERE r.demand_id = d.id)
    ORDER BY d.published_at, d.id LIMIT 50"""
RAW_COUNT = """
    SELECT count(*) FROM demands_demand d
    WHERE d.host_unit_id = %s AND d.status = 'published' AND d.published_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM solutions_demandresponse r WHERE r.demand_id = d.id)"""


def run_board(report, *, demands, iterations, log):
    from django.core.paginator import Paginator

    from contests.models import HostMembership
    from solutions.selectors import board_rows, unanswered_board

    unit, owner, owner_org, _orgs, _measured = _setup()
    try:
        host = owner  # staff of the unit for this step
        HostMembership.objects.create(user=host, host_unit=unit)
        host.__dict__.pop("_host_unit_ids", None)
        made, started = 0, time.perf_counter()
        while made < demands:
            batch = min(5000, demands - made)
            _filler_demands(unit, owner_org, owner, batch, 1 + made)
            made += batch
        with connection.cursor() as cursor:
            # Spread the publication dates over a year; answer every other demand.
            cursor.execute(
                "UPDATE demands_demand SET published_at = now() - ((id %% 365) || ' days')"
                "::interval WHERE ref LIKE %s", [f"{PREFIX}-%"])
            cursor.execute(
                "INSERT INTO solutions_demandresponse (demand_id, kind, source_ref, at) "
                "SELECT id, 'host_response', 'bench:' || id, now() FROM demands_demand "
                "WHERE ref LIKE %s AND id %% 2 = 0", [f"{PREFIX}-%"])
            cursor.execute("VACUUM ANALYZE demands_demand")
            cursor.execute("VACUUM ANALYZE solutions_demandresponse")
        log(f"  {demands:,} demands for one host unit in {time.perf_counter() - started:.0f} s")

        def portal(i):
            page = Paginator(unanswered_board(host), 50).get_page(1)
            rows = board_rows(page.object_list)
            return page.paginator.count, rows

        def raw(i):
            with connection.cursor() as cursor:
                cursor.execute(RAW_COUNT, [unit.pk])
                count = cursor.fetchone()[0]
                cursor.execute(RAW_BOARD, [unit.pk])
                return count, cursor.fetchall()

        expected = raw(0)
        got = portal(0)
        if got[0] != expected[0] or [r["demand"].pk for r in got[1]] != [r[0] for r in
                                                                           expected[1]]:
            raise RuntimeError("the board and the raw SQL disagree")
        portal_t = _time(portal, iterations=iterations)
        raw_t = _time(raw, iterations=iterations)
        client = _client(host)
        import secrets

        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=host, type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": secrets.token_hex(10)}})
        page_t = _time(lambda i: _get(client, "/solutions/board/"), iterations=max(
            10, iterations // 5), warmup=2)
        for name in ("p50", "p95"):
            value, reference = getattr(portal_t, name), getattr(raw_t, name)
            ratio = ratio_of(value, reference)
            report.add(Row(step="7", name=f"unanswered board {name} ({demands:,} demands)",
                           value=ms(value), reference=ms(reference) + " raw SQL", ratio=ratio,
                           goal=f"≤ {BOARD_GOAL}×", ok=at_most(ratio, BOARD_GOAL)))
        report.add(Row(step="7", name="board page incl. response figures p95",
                       value=ms(page_t.p95), reference="", ratio=None, goal="", ok=None,
                       note="whole page through the test client, for information"))
        report.details["board"] = {"demands": demands, "portal": portal_t.as_dict(),
                                   "raw": raw_t.as_dict(), "page": page_t.as_dict(),
                                   "unanswered": expected[0]}
    finally:
        _cleanup(log)


def _cleanup(log):
    from accounts.models import Organisation, User

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM solutions_indicatoranswer WHERE solution_id IN (SELECT s.id "
                       "FROM solutions_solution s JOIN demands_demand d ON d.id = s.demand_id "
                       "WHERE d.ref LIKE %s)", [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM solutions_solution WHERE demand_id IN (SELECT id FROM "
                       "demands_demand WHERE ref LIKE %s)", [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM solutions_demandresponse WHERE demand_id IN (SELECT id FROM "
                       "demands_demand WHERE ref LIKE %s)", [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM demands_indicator WHERE demand_id IN (SELECT id FROM "
                       "demands_demand WHERE ref LIKE %s)", [f"{PREFIX}-%"])
        cursor.execute("DELETE FROM demands_demand WHERE ref LIKE %s", [f"{PREFIX}-%"])
    User.objects.filter(email__startswith=PREFIX.lower()).delete()
    Organisation.objects.filter(name__startswith=PREFIX).delete()
    log(f"  cleaned up in {time.perf_counter() - started:.0f} s")
