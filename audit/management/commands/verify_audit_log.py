from django.core.management.base import BaseCommand, CommandError

from audit.anchors import anchor_path, check_anchors, read_anchors
from audit.services import verify_chain


class Command(BaseCommand):
    help = ("Check the audit log's HMAC chain, then its head against the anchors exported by the "
            "beat job; name the first broken entry and exit non-zero, or print OK with the "
            "number of entries.")

    def add_arguments(self, parser):
        parser.add_argument("--anchors", default=None,
                            help="the anchor file (default: AUDIT_ANCHOR_PATH)")
        parser.add_argument("--no-anchors", action="store_true",
                            help="check the chain only")

    def handle(self, *args, anchors=None, no_anchors=False, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit log chain BROKEN at entry id={result.broken_id} "
                f"sequence={result.broken_sequence}: {result.reason} "
                f"({result.count} entries before it verified)"
            )
        anchor_note = ""
        if not no_anchors:
            path = anchors or anchor_path()
            found, damaged = read_anchors(path)
            problem = check_anchors(found, result)
            if damaged:
                problem = problem or f"{damaged} lines of the anchor file {path} do not parse"
            if problem:
                raise CommandError(f"Audit log does not match its anchors: {problem}")
            anchor_note = (f"; {len(found)} anchors in {path} match" if found
                           else f"; no anchors in {path} yet")
        if result.count == 0:
            self.stdout.write(self.style.SUCCESS(
                f"OK: the audit log is empty (0 entries){anchor_note}."))
            return
        self.stdout.write(self.style.SUCCESS(
            f"OK: {result.count} entries verified, sequence {result.first_sequence}"
            f"-{result.last_sequence}, head hash {result.head_hash}{anchor_note}"
        ))
