"""Step 3: requests per second of the public list under load, against a minimal view that
returns the same rows from raw SQL as plain text (``bench.views.reference_list``), served by
the same gunicorn (2 sync workers).

The load is N concurrent connections from ``bench.client`` for a fixed duration each. The
reference is measured before and after the portal's pages and averaged, so drift in the
machine's load during the step does not favour either side. The anonymous list is the page as
crowds get it (the whole response from the shared page cache); the signed-in list is the cached
body in a layout rendered for every request (session, user, roles, unread count, template).
"""

from bench.client import load
from bench.report import Row, at_least, ratio_of

LIST = "/demands/"
REFERENCE = "/bench/reference/list/"
API_LIST = "/api/v1/demands/"
API_REFERENCE = "/bench/reference/api/"
API_GOAL = 1.0
ANONYMOUS_GOAL = 1.0
SIGNED_IN_GOAL = 0.5


def run(report, port, *, cookie, duration, connections, log=print):
    def measure(label, path, headers=None):
        result = load(port, path, connections=connections, duration=duration, headers=headers)
        log(f"  {label}: {result.rps:.0f} req/s ({result.errors} errors, client CPU "
            f"{result.client_cpu:.0%} of a core)")
        if result.errors:
            raise RuntimeError(f"{label}: {result.errors} requests failed")
        return result

    before = measure("reference (raw SQL)", REFERENCE)
    anonymous = measure("anonymous list", LIST)
    signed_in = measure("signed-in list", LIST, {"Cookie": cookie})
    after = measure("reference (raw SQL) again", REFERENCE)
    reference = (before.rps + after.rps) / 2
    for label, result, goal in (("anonymous list", anonymous, ANONYMOUS_GOAL),
                                ("signed-in list", signed_in, SIGNED_IN_GOAL)):
        ratio = ratio_of(result.rps, reference)
        report.add(Row(step="3", name=f"{label} req/s vs raw SQL", value=f"{result.rps:.0f}/s",
                       reference=f"{reference:.0f}/s", ratio=ratio, goal=f"≥ {goal:.2f}×",
                       ok=at_least(ratio, goal)))
    # The open-data API's demand list, anonymous, against its raw-SQL JSON twin.
    api_before = measure("API reference (raw SQL, JSON)", API_REFERENCE)
    api = measure("API demand list", API_LIST)
    api_after = measure("API reference (raw SQL, JSON) again", API_REFERENCE)
    api_reference = (api_before.rps + api_after.rps) / 2
    ratio = ratio_of(api.rps, api_reference)
    report.add(Row(step="3", name="API demand list req/s vs raw SQL", value=f"{api.rps:.0f}/s",
                   reference=f"{api_reference:.0f}/s", ratio=ratio, goal=f"≥ {API_GOAL:.2f}×",
                   ok=at_least(ratio, API_GOAL)))
    report.details["throughput"] = {
        "api_reference_before": api_before.as_dict(), "api_reference_after": api_after.as_dict(),
        "api_list": api.as_dict(),
        "connections": connections, "duration_s": duration,
        "reference_before": before.as_dict(), "reference_after": after.as_dict(),
        "anonymous_list": anonymous.as_dict(), "signed_in_list": signed_in.as_dict(),
        "client": "bench.client (threads, raw sockets)",
    }
