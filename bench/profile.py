"""``python -m bench.profile``: where the slowest journeys of the mixed load spend their CPU.

Runs after ``python -m bench --only load`` (it reads the same database and the fixtures that
step wrote to ``bench/out/load-fixtures.json``), in-process through Django's test client under
cProfile: a challenger signing in, submitting a solution with a PDF, and a search right after
the page cache was dropped (as after a publish). Prints each journey's wall time and its CPU
by where it goes — password hashing, Chinese segmentation, template rendering, the database
driver, the ORM, the rest — and the top functions by their own time.
"""

import cProfile
import io
import json
import pstats
import sys
import time
from collections import defaultdict

from bench import config
from bench.steps.load import FIXTURES

BUCKETS = [
    ("password hashing", ("hashers.py", "_hashlib", "pbkdf2")),
    ("Chinese segmentation (jieba)", ("jieba",)),
    ("PDF and file checks", ("pypdf", "filetype", "PIL")),
    ("template rendering", ("django/template", "template_partials")),
    ("database driver (waiting on PostgreSQL)", ("psycopg2", "{method 'execute'")),
    ("ORM and SQL compilation", ("django/db",)),
    ("cache (Redis)", ("redis", "django/core/cache")),
]


def _bucket(filename):
    for name, markers in BUCKETS:
        if any(marker in filename for marker in markers):
            return name
    return "the rest (views, services, middleware)"


def breakdown(profile):
    stats = pstats.Stats(profile)
    buckets = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        buckets[_bucket(f"{filename} {function}")] += own
    return dict(sorted(buckets.items(), key=lambda item: -item[1]))


def profiled(name, function, *, warm=None):
    """Profile one call of ``function`` after a first, unmeasured call of ``warm`` (or of
    ``function``): imports, jieba's dictionary and first connections are not the journey."""
    (warm or function)()
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    function()
    profile.disable()
    wall = time.perf_counter() - started
    print(f"\n== {name}: {wall * 1000:.0f} ms wall")
    total = sum(breakdown(profile).values()) or 1
    for bucket, seconds in breakdown(profile).items():
        print(f"  {seconds * 1000:8.1f} ms  {seconds / total:5.1%}  {bucket}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
    print("\n".join(line for line in out.getvalue().splitlines()[-12:] if line.strip()))


def main():
    env = config.environment(None, None)
    config.apply(env)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from bench.journeys import solution_form

    fixtures = json.loads(FIXTURES.read_text(encoding="utf-8"))
    person = fixtures["challengers"][0]
    client = Client(HTTP_HOST="127.0.0.1")

    def sign_in():
        client.logout()
        response = client.post("/accounts/login/", {"login": person["email"],
                                                     "password": person["password"]})
        if response.status_code != 302:
            raise RuntimeError(f"sign-in refused: {response.status_code}")

    profiled("challenger: sign in", sign_in)
    from solutions.models import Solution

    answered = set(Solution.objects.filter(organisation_id=person["organisation"])
                   .values_list("demand__ref", flat=True))
    unanswered = [demand for demand in person["answer"] if demand["ref"] not in answered]

    def submit():
        demand = unanswered.pop()
        data, (name, content, kind) = solution_form(person, demand)
        data["attachment"] = SimpleUploadedFile(name, content, content_type=kind)
        response = client.post(f"/solutions/answer/{demand['ref']}/", data)
        if response.status_code != 302:
            raise RuntimeError(f"solution refused: {response.content[:300]!r}")

    profiled("challenger: submit solution (with a PDF)", submit)

    from demands.public.cache import PUBLIC_PAGES

    # One visitor's client: a new test client builds the middleware again (whitenoise then
    # scans every static file), which no server does per request.
    visitor = Client(HTTP_HOST="127.0.0.1")

    def cold_search():
        PUBLIC_PAGES.invalidate()
        response = visitor.get("/demands/", {"q": "传感器"})
        if response.status_code != 200:
            raise RuntimeError(f"search: {response.status_code}")

    profiled("visitor: search right after a publish", cold_search)
    profiled("visitor: search, warm", lambda: visitor.get("/demands/", {"q": "传感器"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
