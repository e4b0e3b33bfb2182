"""What changed between two versions of a solution, field by field and indicator by
indicator."""

from django.utils.translation import gettext as _

from .models import Solution
from .services.solutions import CONTENT_FIELDS


def version_diff(before, after, indicators):
    """``[{"label", "before", "after", "changed"}]``; ``indicators`` maps indicator ids (as
    strings) to the demand's indicators, so an answer is labelled by its row."""
    rows = []
    for name in CONTENT_FIELDS:
        old, new = before.get(name), after.get(name)
        rows.append({"label": str(Solution._meta.get_field(name).verbose_name),
                     "before": _show(old), "after": _show(new),
                     "changed": bool(before) and old != new})
    old_answers, new_answers = before.get("answers", {}), after.get("answers", {})
    for key in sorted(set(old_answers) | set(new_answers) | set(indicators),
                      key=lambda k: int(k)):
        indicator = indicators.get(key)
        label = indicator.name if indicator else _("indicator no longer in the demand")
        old, new = old_answers.get(key), new_answers.get(key)
        rows.append({"label": label, "before": _answer(old), "after": _answer(new),
                     "changed": bool(before) and old != new})
    old_files, new_files = before.get("attachments", []), after.get("attachments", [])
    rows.append({"label": _("attachments"), "before": "、".join(old_files),
                 "after": "、".join(new_files), "changed": bool(before) and old_files != new_files})
    return rows


def _show(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "—"
    return str(value)


def _answer(answer):
    if not answer:
        return _("not answered")
    text = answer.get("promised_value", "")
    if answer.get("verification"):
        text += f" ({answer['verification']}"
        text += f": {answer['note']})" if answer.get("note") else ")"
    return text
