"""The benchmark database: schema, contest, generated demands at a given scale, and the
signed-in reader's session."""

import subprocess
import sys
import time
from importlib import import_module
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection

from demands.generators import (
    generate,
    generated_demands,
    reset_generated,
)

ROOT = Path(__file__).resolve().parent.parent
READER_EMAIL = "bench-reader@bench.invalid"
STAFF_EMAIL = "bench-staff@bench.invalid"


def prepare_database(log):
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_contest", stdout=StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"database ready (migrate, load_contest, collectstatic) in "
        f"{time.perf_counter() - started:.0f} s")


def analyse():
    """What autovacuum does sooner or later on a live database: fresh statistics and the
    visibility map, so plans and index-only scans match a settled table."""
    with connection.cursor() as cursor:
        for table in ("demands_demand", "demands_indicator", "accounts_organisation"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def grow_to(target, *, seed, workers, log, regenerate=False):
    """Make the generated demands exactly ``target`` (deleting them all first when there are
    more, or with ``regenerate``); returns the generator's report of what was added (or None
    when the database already held them)."""
    have = generated_demands().count()
    if have == target and not regenerate:
        log(f"reusing the {have:,} generated demands of {connection.settings_dict['NAME']}")
    if have > target or (regenerate and have):
        started = time.perf_counter()
        deleted = reset_generated()
        log(f"deleted {deleted} generated demands in {time.perf_counter() - started:.0f} s")
        have = 0
    report = None
    if have < target:
        last = [time.perf_counter()]

        def progress(done, total):
            if time.perf_counter() - last[0] > 15 or done == total:
                last[0] = time.perf_counter()
                log(f"  generated {done}/{total}")

        report = generate(target - have, seed=seed, workers=workers, progress=progress)
        phases = ", ".join(f"{k} {v:.0f} s" for k, v in report.phases.items())
        log(f"generated {report.demands} demands in {report.seconds:.0f} s "
            f"({report.rate:.0f}/s; {phases})")
    analyse()
    return report


def reader_cookie():
    """A signed-in session of a plain user (no staff role, so no second factor), written to
    the session store the server reads; returns the Cookie header value."""
    from accounts.models import User

    user, created = User.objects.get_or_create(email=READER_EMAIL,
                                               defaults={"full_name": "Bench reader"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def torch_staff():
    """A Torch Center staff user (imports for every host unit, publishes any demand)."""
    from accounts.enums import RoleCode
    from accounts.models import Role, User

    user, created = User.objects.get_or_create(email=STAFF_EMAIL,
                                               defaults={"full_name": "Bench staff"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    role, _created = Role.objects.get_or_create(code=RoleCode.TORCH_STAFF)
    user.roles.add(role)
    return user


def prepare_other_database(env, database_url, target, *, seed, workers, log, regenerate=False):
    """The same as :func:`prepare_database` and :func:`grow_to` for another database, through
    ``manage.py`` subprocesses (this process stays on its own database)."""
    from bench import config

    created = config.ensure_database(database_url)
    environ = {**_environ(), **env.django_env(database_url)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    started = time.perf_counter()
    for command in (["migrate", "--noinput", "-v0"], ["load_contest"]):
        subprocess.run(manage + command, cwd=ROOT, env=environ, check=True,
                       stdout=subprocess.DEVNULL)
    generate_command = ["generate_demands", "--total", str(target), "--seed", str(seed),
                        "--workers", str(workers), "-v0"]
    if regenerate:
        generate_command.append("--reset")
    result = subprocess.run(manage + generate_command, cwd=ROOT, env=environ, check=True,
                            capture_output=True, text=True)
    summary = result.stdout.strip().splitlines()
    name = database_url.rsplit("/", 1)[-1]
    log(f"database {name} ({'created' if created else 'existing'}) ready in "
        f"{time.perf_counter() - started:.0f} s: {summary[-1] if summary else 'unchanged'}")
    import psycopg2

    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for table in ("demands_demand", "demands_indicator", "accounts_organisation"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    finally:
        conn.close()


def _environ():
    import os

    return dict(os.environ)
