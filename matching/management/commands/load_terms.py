from django.core.management.base import BaseCommand

from matching.services.terms import load_data_file


class Command(BaseCommand):
    help = "Load the term table (abbreviation ↔ term per field) from matching/data/terms.csv."

    def add_arguments(self, parser):
        parser.add_argument("--reindex", action="store_true",
                            help="Rewrite every achievement's terms afterwards.")

    def handle(self, *args, reindex=False, **options):
        created, updated = load_data_file(reindex=reindex)
        self.stdout.write(f"term table: {created} new, {updated} updated")
