"""Rewrite every public demand's stored projection and search columns.

Run after the jieba dictionary or the public projection's format changes (DOMAIN.md: re-index
when the user dictionary changes); the public page cache is dropped as well.
"""

from django.core.management.base import BaseCommand

from demands.public.projection import rebuild_public_index


class Command(BaseCommand):
    help = "Rebuild the public snapshot and search columns of every public demand."

    def handle(self, *args, **options):
        count = rebuild_public_index()
        self.stdout.write(self.style.SUCCESS(f"{count} demands re-indexed."))
