from django.core.management.base import BaseCommand, CommandError

from audit.enums import MIN_RETENTION_DAYS
from audit.services import PurgeRefused, purge_entries


class Command(BaseCommand):
    help = (f"Delete audit entries older than N days (N >= {MIN_RETENTION_DAYS}); the purge "
            f"itself is logged and anchors the remaining chain.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, dest="days")

    def handle(self, *args, days, **options):
        try:
            deleted = purge_entries(days)
        except PurgeRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Purged {deleted} audit entries older than {days} days."
        ))
