"""The widgets that read and write the cells of the standard format (:mod:`.format`): text kept
as typed, codes of digits, choice words, keywords, indicators, amounts and dates."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext
from import_export.widgets import Widget

from accounts.mobile import normalise_mobile

from ..services import MAX_KEYWORDS, split_keywords

# One separator set for every multi-value cell: 、 , ， ; ； / and line breaks.
MULTI_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")
INDICATOR_SEPARATORS = re.compile(r"[|｜]")
MAX_INDICATORS = 30
MAX_KEYWORD_LENGTH = 20


def not_allowed(text, words):
    return ValueError(
        gettext("“%(value)s” is not an allowed value. Allowed: %(allowed)s.")
        % {"value": text, "allowed": words.allowed_text()}
    )


# --- widgets ----------------------------------------------------------------------------------
def _text(value):
    """A cell as text: numbers from a spreadsheet lose a trailing ``.0`` (610100.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return force_str(value).strip()


class TextWidget(Widget):
    """Text kept exactly as typed (trimmed); a formula-like text stays text."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class DigitsWidget(TextWidget):
    """Codes made of digits that a spreadsheet may have turned into numbers (region codes)."""


class MobileWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_mobile(_text(value))


class CreditCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value).upper().replace(" ", "")


class ChoiceWidget(Widget):
    """One value of a choice column, by its Chinese word. A blank cell gives ``default``."""

    def __init__(self, words, default=""):
        super().__init__()
        self.words = words
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        found = self.words.lookup(text)
        if found is None:
            raise not_allowed(text, self.words)
        return found

    def render(self, value, obj=None, **kwargs):
        return self.words.word(value)


class MultiChoiceWidget(Widget):
    """Several values of a choice column in one cell, separated by 、 or commas."""

    def __init__(self, words):
        super().__init__()
        self.words = words

    def clean(self, value, row=None, **kwargs):
        values, unknown = [], []
        for part in MULTI_SEPARATORS.split(_text(value)):
            part = part.strip()
            if not part:
                continue
            found = self.words.lookup(part)
            if found is None:
                unknown.append(part)
            elif found not in values:
                values.append(found)
        if unknown:
            raise not_allowed("、".join(unknown), self.words)
        return values

    def render(self, value, obj=None, **kwargs):
        return "、".join(self.words.word(item) for item in value or [])


class KeywordsWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        words = split_keywords(_text(value))
        if len(words) > MAX_KEYWORDS:
            raise ValueError(
                gettext("Enter at most five keywords (you entered %(count)d).")
                % {"count": len(words)}
            )
        too_long = [word for word in words if len(word) > MAX_KEYWORD_LENGTH]
        if too_long:
            raise ValueError(
                gettext("A keyword has at most 20 characters: %(words)s")
                % {"words": "、".join(too_long)}
            )
        return words

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


class LinesWidget(Widget):
    """One value per line (hidden passages)."""

    def clean(self, value, row=None, **kwargs):
        lines = []
        for line in _text(value).splitlines():
            line = line.strip()
            if line and line not in lines:
                lines.append(line)
        return lines

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


class IndicatorsWidget(Widget):
    """Technical indicators, one per line: ``指标名|目标值|单位|现状值`` (unit and current value
    may be left out). Gives a list of dicts in the shape ``services`` takes."""

    KEYS = ("name", "target_value", "unit", "current_value")
    LIMITS = {"name": 100, "target_value": 100, "unit": 30, "current_value": 100}

    def clean(self, value, row=None, **kwargs):
        rows = []
        lines = [line.strip() for line in _text(value).splitlines()]
        for number, line in enumerate((line for line in lines if line), start=1):
            parts = [part.strip() for part in INDICATOR_SEPARATORS.split(line)]
            if len(parts) > len(self.KEYS):
                raise ValueError(
                    gettext(
                        "Indicator %(number)d has more than four parts; write it as "
                        "指标名|目标值|单位|现状值."
                    )
                    % {"number": number}
                )
            data = dict(zip(self.KEYS, parts + [""] * (len(self.KEYS) - len(parts)), strict=True))
            if not data["name"] or not data["target_value"]:
                raise ValueError(
                    gettext(
                        "Indicator %(number)d needs a name and a target value: "
                        "指标名|目标值|单位|现状值."
                    )
                    % {"number": number}
                )
            for key, limit in self.LIMITS.items():
                if len(data[key]) > limit:
                    raise ValueError(
                        gettext("Indicator %(number)d: a part is longer than %(limit)d characters.")
                        % {"number": number, "limit": limit}
                    )
            rows.append(data)
        if len(rows) > MAX_INDICATORS:
            raise ValueError(
                gettext("Give at most %(limit)d indicators.") % {"limit": MAX_INDICATORS}
            )
        return rows

    @staticmethod
    def line(row):
        parts = [row.name, row.target_value, row.unit, row.current_value]
        while len(parts) > 2 and not parts[-1]:
            parts.pop()
        return "|".join(parts)

    def render(self, value, obj=None, **kwargs):
        return "\n".join(self.line(row) for row in value or [])


class AmountWidget(Widget):
    """An amount in 万元: ``200``, ``12.5``, ``1,200``, ``200万元``."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        text = _text(value).replace(",", "").replace("，", "")
        text = re.sub(r"\s*(万元|万)$", "", text)
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                gettext("Enter an amount in 10k yuan (万元), such as 200 or 12.5.")
            ) from None
        if not amount.is_finite():
            raise ValueError(gettext("Enter an amount in 10k yuan (万元), such as 200 or 12.5."))
        return amount

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return format(Decimal(value).normalize(), "f")


class DateWidget(Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(gettext("Enter a date such as 2021-08-31."))

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()


# --- export only ------------------------------------------------------------------------------
class LocalDateTimeWidget(Widget):
    """A time in Asia/Shanghai (XLSX cannot hold time zones)."""

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        local = timezone.localtime(value)
        if kwargs.get("force_native_type"):
            return local.replace(tzinfo=None)
        return local.strftime("%Y-%m-%d %H:%M")


class YesNoWidget(Widget):
    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"
