"""Step 8 (``dashboard``): the national dashboard at national scale, in-process on PostgreSQL.

Data, written with ``INSERT … SELECT`` over ``generate_series`` (one statement per table, about
40 s in all) and removed at the end of the step: kept, its 1M solutions would stand in the
solutions step's 10k scale of the next run, and its published demands beside the public ones:

- 100k demands (``--dashboard-demands``) spread over every host unit of the loaded contest,
  ten industry fields, twelve provinces and a year of weeks: 60% published, 10% closed,
  20% submitted, 10% drafts;
- 1M solutions (``--dashboard-solutions``) on the published and closed demands, from 1,000
  organisations (a few drafts, which the funnel leaves out);
- 1M activity entries (``--dashboard-activity``): the solutions' transition history
  (``solutions.SolutionTransition``, draft → submitted), the workflow's record of what
  happened; the dashboard reads none of it, it is the volume a national database carries;
- first responses to 60% of the published demands, 10k confirmed intention agreements, 3k
  live rounds, 3k awards and 5k technology contracts, with amounts.

Measured, for each breakdown (host unit, event, field, region, week): the whole page for a
Torch staff user through Django's test client (middleware, every query, the template), as it
is served (from the snapshot of its figures, ``dashboards.FunnelSnapshot``), against the
aggregate SQL alone: the SELECT statements of the page counted live (``?live=1``, captured
once per breakdown) replayed on a cursor, with no ORM, view or template. p50/p95 and their
ratio; goal within 2×. Also, for information, the page counted live, and the time of one
refresh of the snapshots (all five breakdowns), which the beat job spends every 10 minutes.
"""

import re
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.client import Timings
from bench.report import Row, at_most, ms, ratio_of

PREFIX = "BENCHDASH"
ORGS = 1000
GOAL = 2.0
PROVINCES = ["110108", "310104", "440305", "330106", "320102", "510107", "610104", "420106",
             "370102", "210102", "500103", "350102"]


def _log_time(log, what, started):
    log(f"  {what} in {time.perf_counter() - started:.0f} s")


def _count(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _columns(model, overrides, *, rest="t.{column}"):
    """The column list of ``model`` and the SELECT expressions: ``overrides`` ({column: SQL
    expression}), every other column from ``rest`` (a template row ``t``, or ``NULL``)."""
    fields = [f for f in model._meta.concrete_fields
              if not f.primary_key and not getattr(f, "generated", False)]
    columns = [f.column for f in fields]
    return (", ".join(columns),
            ", ".join(overrides.get(column, rest.format(column=column)) for column in columns))


def _setup_people():
    from accounts.enums import RoleCode
    from accounts.models import Membership, Organisation, Role, User

    owner, _ = User.objects.get_or_create(email=f"{PREFIX.lower()}-owner@bench.invalid",
                                          defaults={"full_name": "Bench dashboard owner"})
    torch, _ = User.objects.get_or_create(email=f"{PREFIX.lower()}-torch@bench.invalid",
                                          defaults={"full_name": "Bench Torch staff"})
    torch.roles.add(Role.objects.get_or_create(code=RoleCode.TORCH_STAFF)[0])
    owner_org, _ = Organisation.objects.get_or_create(
        name=f"{PREFIX} 需求方", defaults={"kind": "enterprise", "region": "610100"})
    Membership.objects.get_or_create(user=owner, organisation=owner_org,
                                     defaults={"role": "admin", "state": "active"})
    if not Organisation.objects.filter(name__startswith=f"{PREFIX} 团队").exists():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO accounts_organisation (name, kind, credit_code_override, region, "
                "address, verified, created_at) SELECT %s || n, 'team', false, '610100', '', "
                "false, now() FROM generate_series(1, %s) AS n", [f"{PREFIX} 团队", ORGS])
    orgs = list(Organisation.objects.filter(name__startswith=f"{PREFIX} 团队")
                .order_by("pk").values_list("pk", flat=True))
    return owner, owner_org, torch, orgs


def _template(owner, owner_org):
    from django.utils import timezone

    from contests.models import HostUnit
    from demands.enums import DemandStatus
    from demands.models import Demand

    demand = Demand.objects.filter(ref=f"{PREFIX}-T").first()
    if demand is None:
        demand = Demand.objects.create(
            ref=f"{PREFIX}-T", sequence=0, host_unit=HostUnit.objects.order_by("pk")
            .first(), organisation=owner_org, created_by=owner, status=DemandStatus.DRAFT,
            title=f"{PREFIX} 基准需求", demand_type="research", key_problem="基准",
            expected_outcome="基准", region="610100", contact_person="基准",
            contact_mobile="13800000000", contact_email="b@bench.invalid",
            cooperation_modes=["joint"],
            solution_deadline=timezone.localdate() + timezone.timedelta(days=60))
    return demand


def _run(cursor, sql, params):
    """Execute with parameters: a literal ``%`` (the modulo of the generators) is doubled."""
    cursor.execute(re.sub(r"%(?!s)", "%%", sql), params)
    return cursor.rowcount


def _array(values):
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]::bigint[]"


def build(*, demands, solutions, activity, log, regenerate=False):
    """Make the bench data exist (reused when the counts match); returns the build times."""
    from contests.models import HostUnit, IndustryField
    from demands.models import Demand
    from solutions.models import Solution, SolutionTransition

    times = {}
    owner, owner_org, torch, orgs = _setup_people()
    like = f"{PREFIX}-%"
    have = _count("SELECT count(*) FROM demands_demand WHERE ref LIKE %s AND ref <> %s",
                  [like, f"{PREFIX}-T"])
    if regenerate or have != demands:
        if have:
            started = time.perf_counter()
            cleanup(log, keep_people=True)
            _log_time(log, "removed the previous dashboard data", started)
        template = _template(owner, owner_org)
        units = list(HostUnit.objects.order_by("pk").values_list("pk", flat=True))
        fields = list(IndustryField.objects.order_by("pk").values_list("pk", flat=True))[:10]
        if not fields:
            fields = [IndustryField.objects.create(name=f"{PREFIX} 领域 {i}", slug=f"bench-{i}")
                      .pk for i in range(10)]
        regions = "ARRAY[" + ",".join(f"'{code}'" for code in PROVINCES) + "]"
        status = ("CASE WHEN n % 10 < 6 THEN 'published' WHEN n % 10 = 6 THEN 'closed' "
                  "WHEN n % 10 < 9 THEN 'submitted' ELSE 'draft' END")
        submitted = ("CASE WHEN n % 10 = 9 THEN NULL "
                     "ELSE now() - ((n % 365) || ' days')::interval END")
        published = ("CASE WHEN n % 10 < 7 THEN now() - ((n % 365) || ' days')::interval "
                     "+ interval '3 days' ELSE NULL END")
        columns, select = _columns(Demand, {
            # Sequence 0: outside every event's numbering, which takes the highest sequence
            # plus one, so a demand filed after this step (the load step's demo) still gets a
            # reference of four to six digits.
            "ref": f"'{PREFIX}-' || n", "sequence": "0",
            "host_unit_id": f"({_array(units)})[1 + n % {len(units)}]",
            "industry_field_id": f"({_array(fields)})[1 + n % {len(fields)}]",
            "region": f"({regions})[1 + (n / 7) % {len(PROVINCES)}]",
            "status": status, "submitted_at": submitted, "published_at": published,
            "title": f"'{PREFIX} 需求 ' || n",
        })
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            _run(cursor, f"INSERT INTO demands_demand ({columns}) SELECT {select} "
                           f"FROM demands_demand t CROSS JOIN generate_series(1, %s) AS n "
                           f"WHERE t.id = %s", [demands, template.pk])
        times["demands"] = time.perf_counter() - started
        _log_time(log, f"{demands:,} demands", started)

        started = time.perf_counter()
        columns, select = _columns(Solution, {
            "demand_id": "d.id",
            "organisation_id": f"({_array(orgs)})[1 + (d.id + k * 67) % {ORGS}]",
            "created_by_id": str(owner.pk),
            "status": "CASE WHEN k = 1 AND d.id % 5 = 0 THEN 'draft' WHEN k % 7 = 0 THEN "
                      "'shortlisted' ELSE 'submitted' END",
            "title": "'基准方案 ' || k", "summary": "'概述'", "approach": "'技术路线'",
            "ip_status": "'none'", "patent_numbers": "'[]'", "team_lead": "'负责人'",
            "team_members": "''", "team_institution": "''", "cooperation_mode": "'joint'",
            "decision_reason": "''", "version": "1", "trl": "1 + k % 9", "cost": "50 + k",
            "duration_months": "12",
            "submitted_at": "CASE WHEN k = 1 AND d.id % 5 = 0 THEN NULL ELSE d.published_at "
                            "+ ((k % 20) || ' days')::interval END",
            "created_at": "d.published_at", "updated_at": "d.published_at",
        }, rest="NULL")
        with transaction.atomic(), connection.cursor() as cursor:
            _run(
                cursor, f"INSERT INTO solutions_solution ({columns}) SELECT {select} "
                f"FROM (SELECT id, published_at FROM demands_demand WHERE ref LIKE %s "
                f"AND published_at IS NOT NULL) AS d CROSS JOIN generate_series(1, 20) AS k "
                f"ORDER BY d.id, k LIMIT %s", [like, solutions])
        times["solutions"] = time.perf_counter() - started
        _log_time(log, f"{solutions:,} solutions", started)

        started = time.perf_counter()
        columns, select = _columns(SolutionTransition, {
            "solution_id": "s.id", "from_state": "'draft'", "to_state": "'submitted'",
            "reason": "''", "at": "coalesce(s.submitted_at, s.created_at)",
            "actor_id": str(owner.pk),
        }, rest="NULL")
        with transaction.atomic(), connection.cursor() as cursor:
            _run(
                cursor, f"INSERT INTO solutions_solutiontransition ({columns}) SELECT {select} "
                f"FROM solutions_solution s JOIN demands_demand d ON d.id = s.demand_id "
                f"WHERE d.ref LIKE %s ORDER BY s.id LIMIT %s", [like, activity])
        times["activity"] = time.perf_counter() - started
        _log_time(log, f"{activity:,} activity entries (solution transitions)", started)

        started = time.perf_counter()
        _the_rest(like, orgs, owner, owner_org)
        times["answers, agreements, rounds, awards, contracts"] = time.perf_counter() - started
        _log_time(log, "answers, agreements, live rounds, awards and contracts", started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in ("demands_demand", "solutions_solution", "solutions_solutiontransition",
                          "solutions_demandresponse", "matching_intentionagreement",
                          "matching_liveround", "awards_award", "awards_technologycontract"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        times["vacuum analyze"] = time.perf_counter() - started
    else:
        log(f"  reusing {have:,} dashboard demands")
    counts = {
        "demands": _count("SELECT count(*) FROM demands_demand"),
        "solutions": _count("SELECT count(*) FROM solutions_solution"),
        "activity (solution transitions)": _count(
            "SELECT count(*) FROM solutions_solutiontransition"),
        "first responses": _count("SELECT count(DISTINCT demand_id) FROM "
                                  "solutions_demandresponse"),
        "awards": _count("SELECT count(*) FROM awards_award"),
        "contracts": _count("SELECT count(*) FROM awards_technologycontract"),
    }
    log("  in the database: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return torch, times, counts


def _the_rest(like, orgs, owner, owner_org):
    """First responses, confirmed agreements, live rounds, awards and contracts."""
    from awards.models import Award, TechnologyContract
    from matching.models import IntentionAgreement, LiveRound
    from solutions.models import DemandResponse

    published = ("SELECT id, host_unit_id, organisation_id, published_at FROM demands_demand "
                 "WHERE ref LIKE %s AND published_at IS NOT NULL")
    partner = f"({_array(orgs)})[1 + d.id % {ORGS}]"
    with transaction.atomic(), connection.cursor() as cursor:
        columns, select = _columns(DemandResponse, {
            "demand_id": "d.id", "kind": "'host_response'",
            "source_ref": f"'{PREFIX.lower()}:' || d.id",
            "at": "d.published_at + ((d.id % 30) || ' days')::interval",
        }, rest="NULL")
        _run(cursor, f"INSERT INTO solutions_demandresponse ({columns}) SELECT {select} "
                       f"FROM ({published}) AS d WHERE d.id % 10 < 6", [like])
        columns, select = _columns(IntentionAgreement, {
            "demand_id": "d.id", "partner_id": partner, "cooperation_mode": "'joint'",
            "amount": "10 + d.id % 490", "signed_on": "(d.published_at + interval '40 days')::date",
            "state": "'confirmed'", "created_by_id": str(owner.pk),
            "created_at": "d.published_at", "updated_at": "d.published_at",
            "signed_file_id": "NULL", "owner_confirmed_by_id": "NULL",
            "owner_confirmed_at": "d.published_at", "partner_confirmed_by_id": "NULL",
            "partner_confirmed_at": "d.published_at",
        }, rest="NULL")
        _run(cursor, f"INSERT INTO matching_intentionagreement ({columns}) SELECT {select} "
                       f"FROM ({published} ORDER BY id LIMIT 10000) AS d", [like])
        columns, select = _columns(LiveRound, {
            "demand_id": "d.id", "host_unit_id": "d.host_unit_id", "title": "'基准现场赛'",
            "starts_at": "d.published_at + interval '30 days'", "venue": "''", "link": "''",
            "score_min": "0", "score_max": "100", "state": "'finished'",
            "created_by_id": str(owner.pk), "created_at": "d.published_at",
            "updated_at": "d.published_at", "selected_entry_id": "NULL",
            "selected_by_id": "NULL", "agreement_id": "NULL",
        }, rest="NULL")
        _run(cursor, f"INSERT INTO matching_liveround ({columns}) SELECT {select} "
                       f"FROM ({published} ORDER BY id LIMIT 3000) AS d", [like])
        overrides = {
            "demand_id": "d.id", "host_unit_id": "d.host_unit_id", "recipient_id": partner,
            "payer_id": "d.organisation_id", "title": "'基准奖'", "amount": "5 + d.id % 45",
            "due_on": "(d.published_at + interval '60 days')::date", "clause": "''",
            "state": "'offered'", "created_by_id": str(owner.pk),
            "created_at": "d.published_at + interval '31 days'",
            "updated_at": "d.published_at + interval '31 days'",
        }
        columns, select = _columns(Award, overrides, rest="NULL")
        _run(cursor, f"INSERT INTO awards_award ({columns}) SELECT {select} "
                       f"FROM ({published} ORDER BY id LIMIT 3000) AS d", [like])
        overrides = {
            "agreement_id": "a.id", "host_unit_id": "d.host_unit_id",
            "number": f"'{PREFIX}-HT-' || a.id", "kind": "'development'",
            "amount": "50 + a.id % 950", "signed_on": "a.signed_on + 30", "priority": "false",
            "priority_note": "''", "registered_by_id": str(owner.pk), "created_at": "now()",
        }
        columns, select = _columns(TechnologyContract, overrides, rest="NULL")
        _run(cursor, f"INSERT INTO awards_technologycontract ({columns}) SELECT {select} "
                       f"FROM matching_intentionagreement a JOIN demands_demand d "
                       f"ON d.id = a.demand_id WHERE d.ref LIKE %s ORDER BY a.id LIMIT 5000",
                       [like])


def cleanup(log, *, keep_people=False):
    from accounts.models import Organisation, User

    like = f"{PREFIX}-%"
    mine = "SELECT id FROM demands_demand WHERE ref LIKE %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM awards_technologycontract WHERE agreement_id IN (SELECT id "
                       f"FROM matching_intentionagreement WHERE demand_id IN ({mine}))", [like])
        for table in ("awards_award", "matching_liveround", "matching_intentionagreement",
                      "solutions_demandresponse"):
            cursor.execute(f"DELETE FROM {table} WHERE demand_id IN ({mine})", [like])
        cursor.execute(f"DELETE FROM solutions_solutiontransition WHERE solution_id IN (SELECT "
                       f"id FROM solutions_solution WHERE demand_id IN ({mine}))", [like])
        cursor.execute(f"DELETE FROM solutions_solution WHERE demand_id IN ({mine})", [like])
        cursor.execute("DELETE FROM demands_demand WHERE ref LIKE %s AND ref <> %s",
                       [like, f"{PREFIX}-T"])
    if not keep_people:
        cursor = connection.cursor()
        cursor.execute("DELETE FROM demands_demand WHERE ref = %s", [f"{PREFIX}-T"])
        User.objects.filter(email__startswith=PREFIX.lower()).delete()
        Organisation.objects.filter(name__startswith=PREFIX).delete()


# --- measuring ------------------------------------------------------------------------------------
def _client(user):
    import secrets

    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": secrets.token_hex(10)}})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _time(function, iterations, warmup=2):
    for _ in range(warmup):
        function()
    timings = Timings()
    for _ in range(iterations):
        started = time.perf_counter()
        function()
        timings.seconds.append(time.perf_counter() - started)
    return timings


def measure(user, *, iterations, dimensions, log):
    """{dimension: {"snapshot": page timings, "live": page timings, "sql": timings, "queries":
    n}}, and the seconds of one refresh of the snapshots."""
    from dashboards import summary

    client = _client(user)
    started = time.perf_counter()
    summary.refresh(user)
    refresh_seconds = time.perf_counter() - started
    log(f"  refreshed the snapshots of every breakdown in {refresh_seconds:.1f} s")
    results = {}
    for dimension in dimensions:
        path = f"/dashboards/?by={dimension}"

        def page(path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")

        with CaptureQueriesContext(connection) as captured:
            page(path + "&live=1")
        statements = [query["sql"] for query in captured.captured_queries
                      if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]

        def sql_alone(statements=statements):
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)  # no parameters: the SQL as it ran
                    cursor.fetchall()

        results[dimension] = {
            "snapshot": _time(page, iterations),
            "sql": _time(sql_alone, max(3, iterations // 3), warmup=1),
            "live": _time(lambda path=path: page(path + "&live=1"), max(3, iterations // 3),
                          warmup=1),
            "queries": len(statements),
        }
    return results, refresh_seconds


def run(report, *, demands, solutions, activity, iterations, log, regenerate=False,
        dimensions=("host_unit", "event", "field", "region", "week")):
    try:
        torch, build_times, counts = build(demands=demands, solutions=solutions,
                                           activity=activity, log=log, regenerate=regenerate)
        results, refresh_seconds = measure(torch, iterations=iterations,
                                           dimensions=dimensions, log=log)
    finally:
        started = time.perf_counter()
        cleanup(log, keep_people=True)
        _log_time(log, "removed the dashboard data", started)
    details = {"counts": counts, "build_seconds": build_times, "per_breakdown": {},
               "refresh_seconds": refresh_seconds}
    for dimension, result in results.items():
        page_t, live_t, sql_t = result["snapshot"], result["live"], result["sql"]
        log(f"  by {dimension}: page (snapshot) p50 {page_t.p50 * 1000:.0f} ms p95 "
            f"{page_t.p95 * 1000:.0f} ms; counted live p50 {live_t.p50 * 1000:.0f} ms; "
            f"its {result['queries']} SELECTs alone p50 {sql_t.p50 * 1000:.0f} ms p95 "
            f"{sql_t.p95 * 1000:.0f} ms")
        for name in ("p50", "p95"):
            value, reference = getattr(page_t, name), getattr(sql_t, name)
            ratio = ratio_of(value, reference)
            report.add(Row(step="8", name=f"national dashboard by {dimension} {name}",
                           value=ms(value), reference=ms(reference) + " aggregate SQL alone",
                           ratio=ratio, goal=f"≤ {GOAL}×", ok=at_most(ratio, GOAL)))
        ratio = ratio_of(live_t.p50, sql_t.p50)
        report.add(Row(step="8", name=f"counted live by {dimension} p50", value=ms(live_t.p50),
                       reference=ms(sql_t.p50) + " its SQL alone", ratio=ratio, goal="",
                       ok=None, note="the page without its snapshot, for information"))
        details["per_breakdown"][dimension] = {
            "page": page_t.as_dict(), "live": live_t.as_dict(), "sql": sql_t.as_dict(),
            "queries": result["queries"]}
    report.add(Row(step="8", name="refresh of the snapshots (5 breakdowns)",
                   value=f"{refresh_seconds:.1f} s", reference="", ratio=None, goal="",
                   ok=None, note="every 10 minutes on Celery beat"))
    report.details["dashboard"] = details
    return results
