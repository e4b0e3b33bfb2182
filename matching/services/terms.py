"""Writes to the term table: the data file's load (idempotent). Torch staff's edits in admin go
through Django admin's own save; the ranking reads the table fresh (``terms.current_table``)."""

from django.db import transaction

from audit.services import log_action
from contests.models import IndustryField

from ..models import TermEntry
from ..terms import read_data_file


def load_data_file(*, reindex=False, actor=None):
    """Create or update the entries of ``matching/data/terms.csv``; entries edited in admin
    that the file does not name are kept. Returns ``(created, updated)``."""
    fields = dict(IndustryField.objects.values_list("code", "pk"))
    created = updated = 0
    with transaction.atomic():
        for code, abbreviation, term in read_data_file():
            entry, new = TermEntry.objects.get_or_create(
                abbreviation=abbreviation, term=term,
                defaults={"industry_field_id": fields.get(code)})
            if new:
                created += 1
            elif code and entry.industry_field_id != fields.get(code):
                entry.industry_field_id = fields.get(code)
                entry.save(update_fields=["industry_field", "updated_at"])
                updated += 1
        log_action("portal.matching.terms.load", actor=actor,
                   data={"created": created, "updated": updated})
    if reindex:
        from .library import reindex_all
        from .recommend import forget_index

        reindex_all()
        forget_index()
    return created, updated
