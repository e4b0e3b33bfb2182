"""An inline difference between the owner's text and a proposed public wording."""

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .services import WORDING_FIELDS


def inline_diff(old, new):
    """HTML of ``new`` compared with ``old``: removed text in ``<del>``, added text in
    ``<ins>``, everything escaped. Compared character by character, which suits Chinese (no
    spaces between words)."""
    old, new = old or "", new or ""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for op, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed, added = old[a_start:a_end], new[b_start:b_end]
        if op == "equal":
            parts.append(escape(added))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece above is escaped


def proposal_rows(demand, proposal):
    """``[(field name, label, owner's text, proposed text, diff html)]`` for the fields the
    proposal changes, in the order of the form. The owner compares with its own text."""
    rows = []
    for name in WORDING_FIELDS:
        if name not in (proposal.texts or {}):
            continue
        current = getattr(demand, name) or ""
        proposed = proposal.texts[name]
        rows.append((name, capfirst(demand._meta.get_field(name).verbose_name), current, proposed,
                     inline_diff(current, proposed)))
    return rows
