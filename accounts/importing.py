"""Organisations named in an import by their unified social credit code: found when the portal
knows the code, built from the row when it is new (created only when the import is saved).

Any standard-format import that names a holder or a demand side uses one
``OrganisationsByCreditCode`` per import (``matching.importing``): ``load`` reads the file's
codes in a few queries, ``resolve`` answers each row without a query, ``save_new`` writes the
new organisations in bulk inside the import's transaction.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .credit_code import normalise, validate_credit_code
from .models import Organisation

# Values per IN (...) lookup: below SQLite's historical limit of 999 parameters.
LOOKUP_CHUNK = 900


class OrganisationsByCreditCode:
    def __init__(self):
        self.found = {}
        self.new = {}

    def load(self, codes):
        """Read the organisations of ``codes`` (one query per 900 codes)."""
        wanted = sorted({normalise(code) for code in codes if code} - set(self.found))
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            for organisation in Organisation.objects.filter(
                    credit_code__in=wanted[start:start + LOOKUP_CHUNK]):
                self.found[organisation.credit_code] = organisation

    def resolve(self, code, *, name, kind, region, address="", new_name_message,
                new_kind_message, missing_code_message=None):
        """``(organisation, errors)``: the known organisation of ``code``, or a new one built
        from ``name``, ``kind``, ``region``, ``address`` (kept for ``save_new``); ``errors`` is
        ``{organisation field name: [message]}`` (``credit_code``, ``name``, ``kind``,
        ``region``, …) when neither is possible — a missing (``missing_code_message``) or
        malformed code (checksum of GB 32100 checked), or, for a new code, a missing name or
        kind (``new_name_message``, ``new_kind_message``) or values the model refuses. The
        caller puts each on its column."""
        code = normalise(code)
        if not code:
            return None, {"credit_code": [missing_code_message or gettext(
                "Enter the unified social credit code of the organisation.")]}
        if code in self.found:
            return self.found[code], {}
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            return None, {"credit_code": list(exc.messages)}
        if code in self.new:
            return self.new[code], {}
        errors = {}
        if not name:
            errors["name"] = [new_name_message]
        if not kind:
            errors["kind"] = [new_kind_message]
        if errors:
            return None, errors
        candidate = Organisation(name=name, kind=kind, credit_code=code, region=region or "",
                                 address=address or "")
        try:
            candidate.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            return None, {key: list(messages) for key, messages in exc.message_dict.items()}
        self.new[code] = candidate
        return candidate, {}

    def save_new(self, *, batch_size=500):
        """Create the new organisations (inside the import's transaction); returns them."""
        created = list(self.new.values())
        Organisation.objects.bulk_create(created, batch_size=batch_size)
        return created
