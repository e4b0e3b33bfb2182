"""The term table (abbreviation ↔ full term, per industry field) as a matcher over texts.

Chinese technical texts mix English abbreviations with full terms (IGBT and 绝缘栅双极型晶体管).
Every text the ranking reads (an achievement, a demand's public text, a search query) is
scanned with :class:`TermTable`: each entry found, in either form, adds one *concept* term
(``~igbt``) that both forms share, so that the two sides meet whichever form they use.

The table is data: ``matching/data/terms.csv`` (loaded by ``manage.py load_terms`` and the
migration), then :class:`matching.models.TermEntry` rows that Torch staff edit in admin.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from common.search import normalise

DATA_FILE = Path(__file__).resolve().parent / "data" / "terms.csv"
CONCEPT_PREFIX = "~"


def read_data_file(path=DATA_FILE):
    """``[(field code or "", abbreviation, term)]`` of the data file."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            (row["field"].strip(), row["abbreviation"].strip(), row["term"].strip())
            for row in csv.DictReader(handle)
            if row.get("abbreviation", "").strip() and row.get("term", "").strip()
        ]


@dataclass(frozen=True)
class Found:
    concept: str  # the concept term, "~igbt"
    form: str  # as written in the text
    start: int
    end: int


class TermTable:
    """The entries of the table, as one regular expression over normalised text.

    ``entries``: ``[(field_id or None, abbreviation, term)]``. A field's entries apply to texts
    of that field and to texts of no field (search queries, demands without a field)."""

    def __init__(self, entries):
        self._concept = {}
        self._fields = {}
        self._pairs = {}
        for field_id, abbreviation, term in entries:
            concept = CONCEPT_PREFIX + normalise(abbreviation).replace(" ", "")
            pair = (normalise(abbreviation), normalise(term))
            if pair not in self._pairs.setdefault(concept, []):
                self._pairs[concept].append(pair)
            for form in (normalise(abbreviation), normalise(term)):
                if not form:
                    continue
                self._concept.setdefault(form, concept)
                self._fields.setdefault(form, set()).add(field_id)
        forms = sorted(self._concept, key=len, reverse=True)
        if forms:
            # Latin abbreviations only as whole words (PLC, not inside "plca").
            alternatives = [
                rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])" if form.isascii()
                else re.escape(form)
                for form in forms
            ]
            self._pattern = re.compile("|".join(alternatives))
        else:
            self._pattern = None

    def __len__(self):
        return len(self._concept)

    def pairs(self, concept):
        """``[(abbreviation, term)]`` of a concept."""
        return list(self._pairs.get(concept, ()))

    def find(self, text, field_id=None):
        """Entries found in ``text`` (original spelling kept), longest first, no overlaps."""
        if self._pattern is None or not text:
            return []
        lowered = normalise(text)
        # NFKC may change lengths (full-width letters stay one character, ligatures do not);
        # the forms are shown from the normalised text when the lengths differ.
        same = len(lowered) == len(text)
        found = []
        for match in self._pattern.finditer(lowered):
            form = match.group(0)
            fields = self._fields.get(form, ())
            if field_id is not None and None not in fields and field_id not in fields:
                continue
            shown = text[match.start():match.end()] if same else form
            found.append(Found(self._concept[form], shown, match.start(), match.end()))
        return found


_EMPTY = TermTable([])


def load_table():
    """The table from the database (one query)."""
    from .models import TermEntry

    return TermTable(TermEntry.objects.values_list("industry_field_id", "abbreviation", "term"))


_cache = {"key": None, "table": _EMPTY}


def current_table():
    """The database's table, reloaded when an entry changed (one cheap query to tell)."""
    from django.db.models import Count, Max

    from .models import TermEntry

    state = TermEntry.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    key = (state["n"], state["at"])
    if _cache["key"] != key:
        _cache["table"] = load_table()
        _cache["key"] = key
    return _cache["table"]
