from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = ("Check the audit log's hash chain; name the first broken entry and exit non-zero, "
            "or print OK with the number of entries.")

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit log chain BROKEN at entry id={result.broken_id} "
                f"sequence={result.broken_sequence}: {result.reason} "
                f"({result.count} entries before it verified)"
            )
        if result.count == 0:
            self.stdout.write(self.style.SUCCESS("OK: the audit log is empty (0 entries)."))
            return
        self.stdout.write(self.style.SUCCESS(
            f"OK: {result.count} entries verified, sequence {result.first_sequence}"
            f"-{result.last_sequence}, head hash {result.head_hash}"
        ))
