"""Step ``load``: a mixed load against gunicorn on loopback, driven by locust
(``bench/locustfile.py``), on the large scale's database with the demo seeded on top.

1. The demo of ``make run`` is seeded into the bench database (every command of the Makefile's
   ``demo`` target, in its order), so the journeys have their people: challengers with a
   password, a demand owner with solutions to compare, judges of a round being scored, host
   staff of Xi'an.
2. :func:`collect` writes what the journeys need to ``bench/out/load-fixtures.json``: demand
   references, search words, sessions of the owner, judges and host staff (written to the
   session store, as :func:`bench.data.reader_cookie` does), the challengers' sign-in, the
   demands they may answer (each answered once, as the portal allows one solution per
   organisation and demand) and read in full.
3. An idle run: one simulated person per journey, pausing 1–2 s between requests, for
   ``--load-idle`` seconds: the idle p95 of every request kind.
4. The load: ``--load-users`` people (weights in the locustfile) for ``--load-duration``
   seconds. Each request kind gets requests/s, p50/p95/p99, errors, and its p95 against its
   idle p95 (goal: under 4×); the run as a whole: errors (goal 0).
"""

import csv
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from bench.report import OUT_DIR, Row, at_most, ratio_of

ROOT = Path(__file__).resolve().parent.parent.parent
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
FIXTURES = OUT_DIR / "load-fixtures.json"
DEMO_PASSWORD = "Challenge-2026"
SEARCH_WORDS = ["传感器", "涂层", "电池", "机器人", "算法", "湖北", "新材料", "检测"]
P95_GOAL = 4.0


# --- 1. the demo on top of the generated demands ---------------------------------------------
def demo_commands():
    import re

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*?\n((?:\t.*\n|\n)*)", makefile, re.MULTILINE).group(1)
    return re.findall(r"manage\.py (\w+)", recipe)


def seed_demo(log):
    from django.core.management import call_command
    from django.test.utils import override_settings

    # The bench's server runs with DEBUG off, as in production; its database is the bench's own.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           DEBUG=True):
        for command in demo_commands():
            call_command(command, verbosity=0, stdout=StringIO())
    log("  demo seeded: " + ", ".join(demo_commands()))


# --- 2. what the journeys need ---------------------------------------------------------------
def session_cookie(user):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def _with_authenticator(user):
    """Staff, experts and judges must have an authenticator app to pass the portal's
    middleware; the journeys start signed in (the challengers' journey signs in itself)."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}})
    return user


def _challengers(answerable):
    from accounts.models import User
    from demands.enums import AccessState
    from demands.models import AccessRequest

    people = []
    for user in User.objects.filter(email__startswith="challenger", email__endswith="@demo.cn",
                                    is_active=True).order_by("email"):
        organisations = list(user.memberships.filter(state="active")
                             .values_list("organisation_id", flat=True))
        if not organisations:
            continue
        full = list(AccessRequest.objects.filter(user=user, state=AccessState.GRANTED)
                    .values_list("demand__ref", flat=True)[:20])
        people.append({"email": user.email, "password": DEMO_PASSWORD,
                       "organisation": organisations[0], "full": full})
    for index, person in enumerate(people):
        # Each challenger answers its own share of the demands: never the same demand twice.
        person["answer"] = answerable[index::len(people)] if people else []
    return people


def _answerable(limit, log):
    """Published demands that take solutions, with what their solution form asks: an
    indicator's promise and its verification, and a cooperation mode the demand offers."""
    from django.db.models import Q
    from django.utils import timezone

    from demands.enums import DemandStatus
    from demands.models import Demand
    from solutions.enums import Verification

    today = timezone.localdate()
    # Published as a visitor sees them (indexed): other steps keep published rows of their own.
    demands = (Demand.objects.public().filter(status=DemandStatus.PUBLISHED)
               .filter(Q(solution_deadline__isnull=True) | Q(solution_deadline__gte=today))
               .filter(solutions__isnull=True)
               .exclude(organisation__members__email__endswith="@demo.cn")
               .order_by("-id").prefetch_related("indicators")[:limit])
    verification = Verification.values[0]
    rows = []
    for demand in demands:
        rows.append({
            "ref": demand.ref,
            "mode": (demand.cooperation_modes or [""])[0],
            "indicators": [{"id": indicator.pk, "value": str(indicator.target_value or "1"),
                            "verification": verification}
                           for indicator in demand.indicators.all()],
        })
    log(f"  {len(rows)} demands open to solutions for the challengers")
    return rows


def _owner():
    from django.db.models import Count

    from accounts.models import User
    from demands.models import Demand

    user = User.objects.get(email="company@demo.cn")
    demands = (Demand.objects.filter(organisation__members=user)
               .annotate(count=Count("solutions")).filter(count__gte=2).order_by("-count"))
    pages = []
    for demand in demands[:3]:
        ids = list(demand.solutions.exclude(status="draft").values_list("pk", flat=True)[:4])
        pages.append({"ref": demand.ref, "ids": ids})
    return {"cookies": session_cookie(user), "demands": pages}


def _judges():
    from matching.enums import RoundState
    from matching.models import LiveRound
    from matching.services import rounds

    judges = []
    for live_round in LiveRound.objects.filter(state=RoundState.SCORING):
        criteria = [{"id": c.pk, "low": live_round.score_min, "high": live_round.score_max}
                    for c in live_round.criteria.all()]
        entries = list(live_round.entries.all())
        for judge in live_round.judges.filter(recused_at__isnull=True).select_related("user"):
            free = [entry.pk for entry in entries if not rounds.conflicted(judge, entry)
                    and not judge.sheets.filter(entry=entry, submitted_at__isnull=False).exists()]
            if free:
                judges.append({"cookies": session_cookie(_with_authenticator(judge.user)),
                               "round": live_round.pk, "entries": free, "criteria": criteria})
    return judges


def _host():
    from django.urls import reverse

    from accounts.models import User
    from matching.models import LiveRound

    user = _with_authenticator(User.objects.get(email="host.xian@demo.cn"))
    pages = [reverse("solutions:board"), reverse("demands:manage")]
    pages += [reverse("matching:round_progress", args=[pk]) for pk in
              LiveRound.objects.filter(host_unit__slug="xian").values_list("pk", flat=True)[:2]]
    return {"cookies": session_cookie(user), "pages": pages}


def collect(log, *, answerable=3000):
    from demands.enums import DemandStatus
    from demands.models import Demand

    refs = list(Demand.objects.public().filter(status=DemandStatus.PUBLISHED)
                .order_by("?").values_list("ref", flat=True)[:300])
    fixtures = {
        "demands": refs,
        "words": SEARCH_WORDS,
        "challengers": _challengers(_answerable(answerable, log)),
        "owner": _owner(),
        "judges": _judges(),
        "host": _host(),
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    FIXTURES.write_text(json.dumps(fixtures, ensure_ascii=False), encoding="utf-8")
    log(f"  fixtures: {len(refs)} demands, {len(fixtures['challengers'])} challengers, "
        f"{len(fixtures['judges'])} judges, {len(fixtures['owner']['demands'])} owner demands")
    return fixtures


# --- 3 and 4. locust -------------------------------------------------------------------------
def run_locust(port, *, users, duration, mode, prefix, log):
    command = [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE),
               "--headless", "--host", f"http://127.0.0.1:{port}", "--users", str(users),
               "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{int(duration)}s",
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
               "--loglevel", "WARNING"]
    env = {**os.environ, "LOAD_FIXTURES": str(FIXTURES), "LOAD_MODE": mode,
           "PYTHONPATH": str(ROOT)}
    log(f"  locust {mode}: {users} users for {int(duration)} s")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=duration + 180, check=False)
    (OUT_DIR / f"locust-{mode}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return read_stats(Path(f"{prefix}_stats.csv")), read_failures(Path(f"{prefix}_failures.csv"))


def read_stats(path):
    """locust's ``<prefix>_stats.csv``: one row per request name (and an ``Aggregated`` row)."""
    stats = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]), "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0),
            }
    return stats


def read_failures(path):
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [f"{row['Method']} {row['Name']}: {row['Error']} ×{row['Occurrences']}"
                for row in csv.DictReader(handle)]


def add_rows(report, idle, loaded, failures, *, users, duration):
    for name in sorted(n for n in loaded if n != "Aggregated"):
        now, before = loaded[name], idle.get(name)
        ratio = ratio_of(now["p95"], before["p95"]) if before else None
        report.add(Row(
            step="load", name=name,
            value=(f"{now['rps']:.1f}/s p50 {now['p50']:.0f} p95 {now['p95']:.0f} "
                   f"p99 {now['p99']:.0f} ms, {now['failures']} errors"),
            reference=f"idle p95 {before['p95']:.0f} ms" if before else "no idle sample",
            ratio=ratio, goal=f"p95 < {P95_GOAL:g}× idle, 0 errors",
            ok=(at_most(ratio, P95_GOAL) if ratio is not None else None)
            if not now["failures"] else False))
    total = loaded.get("Aggregated", {})
    report.add(Row(
        step="load", name=f"all journeys, {users} users, {int(duration)} s",
        value=f"{total.get('rps', 0):.1f} requests/s, {total.get('failures', 0)} errors",
        reference=f"{total.get('requests', 0)} requests", ratio=None, goal="0 errors",
        ok=total.get("failures", 1) == 0, note="; ".join(failures[:5])))


def run(report, port, *, users, duration, idle_duration, log):
    from bench import data  # noqa: F401  (Django is set up by the runner)

    seed_demo(log)
    collect(log)
    idle, _idle_failures = run_locust(port, users=5, duration=idle_duration, mode="idle",
                                      prefix=OUT_DIR / "load-idle", log=log)
    loaded, failures = run_locust(port, users=users, duration=duration, mode="load",
                                  prefix=OUT_DIR / "load", log=log)
    report.details["load"] = {"users": users, "duration_s": duration, "idle": idle,
                              "loaded": loaded, "failures": failures}
    add_rows(report, idle, loaded, failures, users=users, duration=duration)
