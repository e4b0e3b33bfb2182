from django.core.management.base import BaseCommand, CommandError

from contests.services import DEFAULT_DATA_FILE, load_contest_file

LABELS = {
    "contest": "Contest",
    "fields": "Industry fields",
    "events": "Events",
    "host_units": "Host units",
    "agreements": "Agreements",
}


class Command(BaseCommand):
    help = ("Load the contest, its industry fields, events and host units from the Ministry's "
            "annex (contests/data/contest6.json), and publish the first NDA and disclaimer if "
            "the contest has none. Safe to run again: unchanged rows are left untouched.")

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_DATA_FILE),
                            help="JSON file in the format of contests/data/contest6.json")

    def handle(self, *args, **options):
        try:
            report = load_contest_file(options["file"])
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {error.filename}") from error
        except (KeyError, ValueError) as error:
            raise CommandError(f"Malformed contest data: {error!r}") from error
        for key, counts in report.counts.items():
            self.stdout.write(f"{LABELS.get(key, key)}: {counts}")
        summary = "Changed." if report.changed else "Nothing to change."
        self.stdout.write(self.style.SUCCESS(summary))
