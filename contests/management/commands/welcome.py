"""What a newcomer needs once `make run` has loaded the demo: where the portal is, which
accounts to sign in with, and what to try first. Printed last, just before the server starts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from .seed_demo import ACCOUNTS, DEFAULT_PASSWORD

# What each demo account is for, in the order of the contest's process.
TRY = {
    "company@demo.cn": "post a demand (My workspace → Post a demand), hide what is confidential",
    "host.xian@demo.cn": "the Xi'an host unit: demand management, experts, work plan, notices",
    "expert@demo.cn": "analyse the demands assigned to you",
    "challenger@demo.cn": "browse /demands/, open a demand's hidden details, ask for access",
    "torch@demo.cn": "Torch Center: national publishing, work plans, API keys (workspace)",
    "host.beijing@demo.cn": "a second host unit (its work plan awaits Torch's decision)",
    "agency@demo.cn": "a service agency",
}
APPLICANT = ("host.applicant@demo.cn", "承办单位申请演示账号",
             "applied to join a host unit (Torch decides: workspace → applications)")
# The accounts the later demo seeds add (solutions, live rounds, complaints).
LATER = [
    ("challenger.lab@demo.cn", "a second solution to compare; a score re-check request"),
    ("challenger.power@demo.cn", "shortlisted in the finished live round"),
    ("expert.li@demo.cn", "judge: a submitted score sheet in the round being scored"),
    ("expert.wang@demo.cn", "re-checks a score sheet (complaints)"),
]


class Command(BaseCommand):
    help = "Print where the demo portal runs, its accounts and what to try."

    def handle(self, *args, **options):
        site = settings.SITE_URL.rstrip("/")
        line = "─" * 78
        out = [
            "",
            line,
            f"  The China Innovation Challenge portal runs at {site}/",
            f"  Demo accounts (password {DEFAULT_PASSWORD}; staff accounts are asked to set up "
            "an authenticator app at first sign-in):",
        ]
        for email, name, *_rest in ACCOUNTS:
            out.append(f"    {email:<22} {name:<12}  {TRY.get(email, '')}")
        out.append("    {:<22} {:<12}  {}".format(*APPLICANT))
        existing = set(get_user_model().objects.filter(email__in=[e for e, _ in LATER])
                       .values_list("email", flat=True))
        for email, what in LATER:
            if email in existing:
                out.append(f"    {email:<22} {'':<12}  {what}")
        out += [
            "  Try:",
            f"    {site}/                  home: search, newest demands, events and stages",
            f"    {site}/demands/?q=涂层     Chinese search of the published demands",
            f"    {site}/api/v1/docs/      the open-data API (OpenAPI at /api/v1/schema/)",
            f"    {site}/admin/            Django admin (Torch or host staff)",
            "  E-mails are printed in this terminal. Stop the server with Ctrl-C.",
            line,
            "",
        ]
        self.stdout.write("\n".join(out))
