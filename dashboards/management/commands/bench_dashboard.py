"""``manage.py bench_dashboard --demands 20000 --runs 30``: the national dashboard's server time
against the time of its aggregate SQL alone, in one run (PostgreSQL, ``DATABASE_URL``).

Generated demands (``demands.generators``) are topped up to ``--demands``. Then, for each
breakdown (host unit, event, industry field, region, week), ``--runs`` times each: the view
called with a Torch staff user (the whole page: every query and the template; middleware and
the network are not included), and the same aggregate queries evaluated without the view. The
report gives p50/p95 of both and their ratio (goal ≤ 2×). Solutions, docking and the other
steps of the issue's bench are not on this branch, so only the demand stages are measured.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import RequestFactory

from accounts.enums import RoleCode
from accounts.models import Role
from dashboards import funnel, views
from demands.generators import generate, generated_demands

BENCH_EMAIL = "bench.dashboard@bench.invalid"


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _sql_only(dimension):
    """The figures the page shows, as the queries alone (no view, no template)."""
    list(funnel.totals(None))
    for stage in funnel.STAGES:
        funnel.breakdown(stage, None, dimension)
    funnel.per_host(None)


class Command(BaseCommand):
    help = "Time the national dashboard against its aggregate SQL alone (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--demands", type=int, default=20000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--allow-sqlite", action="store_true")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError("Set DATABASE_URL to a PostgreSQL database (or --allow-sqlite).")
        have = generated_demands().count()
        if have < options["demands"]:
            self.stdout.write(f"Generating {options['demands'] - have} demands…")
            generate(options["demands"] - have, workers=0)
        user, _ = get_user_model().objects.get_or_create(email=BENCH_EMAIL,
                                                         defaults={"is_active": True})
        user.roles.add(Role.objects.get_or_create(code=RoleCode.TORCH_STAFF)[0])
        factory = RequestFactory()
        runs = options["runs"]
        total = funnel.STAGES[0].rows().count()
        self.stdout.write(f"{total:,} demands collected; {runs} runs per measure")
        self.stdout.write(f"{'breakdown':<10} {'page p50':>9} {'page p95':>9} "
                          f"{'sql p50':>9} {'sql p95':>9} {'ratio p50':>9}")
        for dimension in funnel.DIMENSIONS:
            page, sql = [], []
            for index in range(runs + 2):  # two warm-up rounds
                request = factory.get("/dashboards/", {"by": dimension})
                request.user = get_user_model().objects.get(pk=user.pk)
                start = time.perf_counter()
                response = views.national.__wrapped__(request)
                if response.status_code != 200:
                    raise CommandError(f"The dashboard answered {response.status_code}.")
                page_time = time.perf_counter() - start
                start = time.perf_counter()
                _sql_only(dimension)
                sql_time = time.perf_counter() - start
                if index >= 2:
                    page.append(page_time)
                    sql.append(sql_time)
            p50, s50 = statistics.median(page), statistics.median(sql)
            self.stdout.write(
                f"{dimension:<10} {p50 * 1000:>8.1f}ms {_percentile(page, .95) * 1000:>8.1f}ms "
                f"{s50 * 1000:>8.1f}ms {_percentile(sql, .95) * 1000:>8.1f}ms {p50 / s50:>8.2f}×")
