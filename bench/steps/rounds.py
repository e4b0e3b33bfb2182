"""Step ``rounds`` (live rounds, issue 14), measured in-process on PostgreSQL with Django's
test client, as steps 6 and 7 are.

One measured round in scoring — 6 judges, 8 challengers, 3 criteria, half of the sheets
submitted — and the pages its people use during the round: the judge's scoring page, a score
saved as typed (the autosave's POST), the host staff's progress view and the round's page with
its ranking. Each is timed with about 10k score entries in the database and again at 1M
(``--scores-large``): other rounds' finished sheets, written with ``INSERT … SELECT`` (one
round of 50 judges × 2,000 challengers × 10 criteria is 1M entries). Goal: p95 at 1M ≤ 1.5× at
10k. The measured round's ranking in raw SQL (weighted mean of each challenger's submitted
sheets) is timed beside it, for reference.

Everything generated here is removed at the end.
"""

import time

from django.db import connection, transaction
from django.utils import timezone

from bench.report import Row, at_most, ms, ratio_of
from bench.steps.solutions import _client, _get, _template_demand, _time

PREFIX = "BENCHRND"
REF = "998-99-{:06d}"  # the portal's reference shape; host unit 998 does not exist
GOAL = 1.5
RAW_RANKING = """
    SELECT e.id, sum(s.value * c.weight) / 100.0 / count(DISTINCT sh.id) AS mean
    FROM matching_roundentry e
    JOIN matching_scoresheet sh ON sh.entry_id = e.id AND sh.state = 'submitted'
    JOIN matching_score s ON s.sheet_id = sh.id
    JOIN matching_roundcriterion c ON c.id = s.criterion_id
    WHERE e.round_id = %s GROUP BY e.id ORDER BY mean DESC, e.id"""


def _users(count, label):
    from allauth.mfa.models import Authenticator

    from accounts.models import User

    users = User.objects.bulk_create([
        User(email=f"{PREFIX.lower()}-{label}-{i}@bench.invalid", full_name=f"{label} {i}")
        for i in range(count)])
    # Judges and host staff must have an authenticator app (the portal's middleware).
    Authenticator.objects.bulk_create([
        Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
        for user in users])
    return users


def _organisations(count, label):
    from accounts.models import Organisation

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_organisation (name, kind, credit_code_override, region, "
            "address, verified, created_at) SELECT %s || n, 'team', false, '610100', '', false, "
            "now() FROM generate_series(1, %s) AS n", [f"{PREFIX} {label} ", count])
    return list(Organisation.objects.filter(name__startswith=f"{PREFIX} {label} ")
                .order_by("pk").values_list("pk", flat=True))


def _round(host_unit, owner, owner_org, label, *, judges, entries, criteria, state):
    """A round with its judges, challengers (each with a shortlisted solution) and criteria;
    every sheet and score is written by SQL. Returns the round."""
    from matching.models import LiveRound, RoundCriterion, RoundJudge

    number = 0 if label == "M" else int(label.lstrip("F"))
    demand = _template_demand(host_unit, owner_org, owner, REF.format(number))
    live_round = LiveRound.objects.create(
        demand=demand, host_unit=host_unit, title=f"{PREFIX} {label}", created_by=owner,
        starts_at=timezone.now(), state=state)
    weights = [100 // criteria + (1 if i < 100 % criteria else 0) for i in range(criteria)]
    RoundCriterion.objects.bulk_create([
        RoundCriterion(round=live_round, name=f"指标{i}", weight=weight, position=i)
        for i, weight in enumerate(weights)])
    RoundJudge.objects.bulk_create([
        RoundJudge(round=live_round, user=user, kind="expert", invited_by=owner)
        for user in _users(judges, label)])
    orgs = _organisations(entries, label)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO solutions_solution (demand_id, organisation_id, created_by_id, status, "
            "title, summary, approach, trl, ip_status, patent_numbers, team_lead, team_members, "
            "team_institution, cost, duration_months, cooperation_mode, decision_reason, "
            "version, submitted_at, created_at, updated_at) "
            "SELECT %s, o, %s, 'shortlisted', '基准方案 ' || o, '概述', '技术路线', 5, 'none', "
            "'[]', '负责人', '', '', 100, 12, 'joint', '', 1, now(), now(), now() "
            "FROM unnest(%s::bigint[]) AS o", [demand.pk, owner.pk, orgs])
        cursor.execute(
            "INSERT INTO matching_roundentry (round_id, solution_id, organisation_id, position) "
            "SELECT %s, s.id, s.organisation_id, row_number() OVER (ORDER BY s.id) "
            "FROM solutions_solution s WHERE s.demand_id = %s", [live_round.pk, demand.pk])
    return live_round


def _sheets(live_round, *, submitted_share=1.0):
    """Every judge's sheet for every challenger, with a score per criterion."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO matching_scoresheet (judge_id, entry_id, state, comment, signed_name, "
            "submitted_at, digest, updated_at) "
            "SELECT j.id, e.id, CASE WHEN (j.id + e.id) %% 100 < %s THEN 'submitted' "
            "ELSE 'draft' END, '', '', now(), '', now() "
            "FROM matching_roundjudge j JOIN matching_roundentry e ON e.round_id = j.round_id "
            "WHERE j.round_id = %s", [int(submitted_share * 100), live_round.pk])
        cursor.execute(
            "UPDATE matching_scoresheet SET submitted_at = NULL WHERE state = 'draft' AND "
            "judge_id IN (SELECT id FROM matching_roundjudge WHERE round_id = %s)",
            [live_round.pk])
        cursor.execute(
            "INSERT INTO matching_score (sheet_id, criterion_id, value) "
            "SELECT sh.id, c.id, 50 + (sh.id * 7 + c.id * 13) %% 50 "
            "FROM matching_scoresheet sh JOIN matching_roundjudge j ON j.id = sh.judge_id "
            "JOIN matching_roundcriterion c ON c.round_id = j.round_id WHERE j.round_id = %s",
            [live_round.pk])
        return cursor.rowcount


def _grow(target, state, log):
    from matching.models import Score

    have = Score.objects.count()
    while have < target:
        entries = min(2000, max(1, (target - have) // 500))
        with transaction.atomic():
            filler = _round(state["unit"], state["owner"], state["owner_org"],
                            f"F{state['next']}", judges=50, entries=entries, criteria=10,
                            state="finished")
            have += _sheets(filler)
        state["next"] += 1
        log(f"  score entries: {have:,}")
    with connection.cursor() as cursor:
        for table in ("matching_score", "matching_scoresheet", "matching_roundentry",
                      "matching_roundjudge"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return have


def _measure(state, iterations):
    from matching.models import RoundCriterion

    live_round = state["round"]
    judge = state["judge"]
    entries = list(live_round.entries.order_by("position").values_list("pk", flat=True))
    criterion = RoundCriterion.objects.filter(round=live_round).order_by("position").first()
    judge_client, host_client = _client(judge), _client(state["host"])
    base = f"/matching/rounds/{live_round.pk}/"

    def save(i):
        response = judge_client.post(f"{base}score/{entries[i % len(entries)]}/",
                                     {f"c{criterion.pk}": str(60 + i % 40)},
                                     HTTP_X_REQUESTED_WITH="fetch")
        if response.status_code != 200 or not response.json().get("saved"):
            raise RuntimeError(f"autosave: {response.status_code} {response.content[:200]}")

    def raw(_i):
        with connection.cursor() as cursor:
            cursor.execute(RAW_RANKING, [live_round.pk])
            cursor.fetchall()

    return {
        "judge's scoring page": _time(
            lambda i: _get(judge_client, f"{base}score/{entries[i % len(entries)]}/"),
            iterations=iterations),
        "score saved as typed": _time(save, iterations=iterations),
        "host's progress view": _time(lambda i: _get(host_client, f"{base}progress/"),
                                      iterations=iterations),
        "round page with ranking": _time(lambda i: _get(host_client, base),
                                         iterations=iterations),
        "ranking in raw SQL": _time(raw, iterations=iterations),
    }


def run(report, *, small, large, iterations, log):
    from accounts.models import Membership, Organisation
    from contests.models import HostMembership, HostUnit

    started = time.perf_counter()
    _cleanup(log)  # what an interrupted run left
    unit = HostUnit.objects.order_by("pk").first()
    owner, host = _users(2, "staff")
    owner_org = Organisation.objects.create(name=f"{PREFIX} 需求方", kind="enterprise",
                                            region="610100")
    Membership.objects.create(user=owner, organisation=owner_org, role="admin", state="active")
    HostMembership.objects.create(user=host, host_unit=unit)
    try:
        with transaction.atomic():
            measured = _round(unit, owner, owner_org, "M", judges=6, entries=8, criteria=3,
                              state="scoring")
            _sheets(measured, submitted_share=0.5)
        judge = measured.judges.order_by("pk").first().user
        # The measured judge's sheets stay drafts, so the autosave is accepted throughout.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE matching_scoresheet SET state = 'draft', submitted_at = NULL "
                           "WHERE judge_id = (SELECT id FROM matching_roundjudge WHERE "
                           "round_id = %s AND user_id = %s)", [measured.pk, judge.pk])
        state = {"unit": unit, "owner": owner, "owner_org": owner_org, "next": 1,
                 "round": measured, "judge": judge, "host": host}
        timings = {}
        for scale in (small, large):
            have = _grow(scale, state, log)
            timings[scale] = _measure(state, iterations)
            log("  at {:,} score entries: {}".format(have, ", ".join(
                f"{kind} p50 {t.p50 * 1000:.1f} ms p95 {t.p95 * 1000:.1f} ms"
                for kind, t in timings[scale].items())))
        for kind in timings[large]:
            value, reference = timings[large][kind].p95, timings[small][kind].p95
            ratio = ratio_of(value, reference)
            # The raw SQL is the reference, for information: a sub-millisecond query's p95
            # moves by its own noise, and the goal is the pages'.
            goal = "" if kind == "ranking in raw SQL" else f"≤ {GOAL}×"
            report.add(Row(step="rounds", name=f"{kind} p95 ({large:,} vs {small:,} scores)",
                           value=ms(value), reference=ms(reference), ratio=ratio, goal=goal,
                           ok=at_most(ratio, GOAL) if goal else None))
        report.details["rounds"] = {
            str(scale): {kind: t.as_dict() for kind, t in per.items()}
            for scale, per in timings.items()}
        report.details["rounds"]["seconds"] = time.perf_counter() - started
    finally:
        _cleanup(log)


def _cleanup(log):
    from accounts.models import Organisation, User

    started = time.perf_counter()
    rounds = "(SELECT id FROM matching_liveround WHERE title LIKE %s)"
    judges = f"(SELECT id FROM matching_roundjudge WHERE round_id IN {rounds})"
    entries = f"(SELECT id FROM matching_roundentry WHERE round_id IN {rounds})"
    statements = [
        f"DELETE FROM matching_score WHERE sheet_id IN (SELECT id FROM matching_scoresheet "
        f"WHERE judge_id IN {judges})",
        f"DELETE FROM matching_scoresheet WHERE judge_id IN {judges}",
        f"DELETE FROM matching_judgeconflict WHERE judge_id IN {judges}",
        f"DELETE FROM matching_roundentry_unwanted WHERE roundentry_id IN {entries}",
        f"DELETE FROM matching_agendaitem WHERE round_id IN {rounds}",
        f"DELETE FROM matching_roundjudge WHERE round_id IN {rounds}",
        f"DELETE FROM matching_roundcriterion WHERE round_id IN {rounds}",
        f"DELETE FROM matching_roundentry WHERE round_id IN {rounds}",
        f"DELETE FROM matching_roundconsent WHERE round_id IN {rounds}",
        f"DELETE FROM matching_liveroundtransition WHERE round_id IN {rounds}",
        "DELETE FROM matching_liveround WHERE title LIKE %s",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [f"{PREFIX} %"])
        cursor.execute("DELETE FROM solutions_solution WHERE demand_id IN (SELECT id FROM "
                       "demands_demand WHERE ref LIKE '998-99-%%')")
        cursor.execute("DELETE FROM demands_demand WHERE ref LIKE '998-99-%%'")
    User.objects.filter(email__startswith=PREFIX.lower()).delete()
    Organisation.objects.filter(name__startswith=PREFIX).delete()
    log(f"  cleaned up in {time.perf_counter() - started:.0f} s")
