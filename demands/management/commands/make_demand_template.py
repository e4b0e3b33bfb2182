"""Write the demand import template (.xlsx) to a file, for hosts that hand it out by e-mail or
on their own sites; the portal serves the same file at /demands/manage/import/template.xlsx."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from demands.importing.template import build_template


class Command(BaseCommand):
    help = (
        "Write the demand import template (.xlsx): the standard-format headers, an example "
        "row and the allowed values of the choice columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the .xlsx file.")
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="List only the host units of this user (default: every host "
            "unit of the current edition).",
        )

    def handle(self, *args, path, user=None, **options):
        account = None
        if user:
            try:
                account = get_user_model().objects.get(email__iexact=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user with the e-mail address {user}.") from None
        with open(path, "wb") as handle:
            handle.write(build_template(user=account))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
