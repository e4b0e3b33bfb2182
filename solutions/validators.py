"""Chinese patent numbers (CNIPA, ZC0006-2003).

An application number (申请号) is ``YYYY`` + the patent type (1 invention, 2 utility model,
3 design, 8 PCT invention, 9 PCT utility model) + a 7-digit serial, then ``.`` and a check
character; before 2003 it was 8 digits (``YY`` + type + 5-digit serial) and the check. The
check is Σ digit × weight (weights 2,3,4,5,6,7,8,9 repeating) mod 11, where 10 is written
``X``: ``200310102344.5``. A granted patent is cited as ``ZL`` + its application number, an
application as ``CN`` + it. A publication number (公开/公告号) is ``CN`` + 9 digits (7 before
2010) + a kind code (A, B, C, U, Y, S): it carries no check character.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_APPLICATION = re.compile(r"^(?:ZL|CN)?(?P<digits>\d{12}|\d{8})\.?(?P<check>[\dX])$")
_PUBLICATION = re.compile(r"^CN(?P<digits>\d{9}|\d{7})(?P<kind>[ABCUYS]\d?)$")
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
_TYPES_NEW = {"1", "2", "3", "8", "9"}


def normalise_patent_number(value):
    """Upper case, without spaces, hyphens or the full-width dot."""
    return re.sub(r"[\s\-]", "", str(value or "")).replace("．", ".").replace("。", ".").upper()


def application_check(digits):
    """The check character of an application number's digits."""
    total = sum(int(digit) * _WEIGHTS[i % len(_WEIGHTS)] for i, digit in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def patent_number_problem(value):
    """Why ``value`` is not a valid patent number, or ``""``."""
    number = normalise_patent_number(value)
    if not number:
        return _("Empty patent number.")
    publication = _PUBLICATION.match(number)
    if publication:
        return ""
    application = _APPLICATION.match(number)
    if not application:
        return _("“%(value)s” is not a Chinese patent application number (e.g. ZL200310102344.5) "
                 "or publication number (e.g. CN101234567A).") % {"value": value}
    digits = application["digits"]
    kind = digits[4] if len(digits) == 12 else digits[2]
    if len(digits) == 12 and kind not in _TYPES_NEW or len(digits) == 8 and kind not in "123":
        return _("“%(value)s”: the patent type digit %(kind)s is unknown.") % {
            "value": value, "kind": kind}
    if application_check(digits) != application["check"]:
        return _("“%(value)s”: the check character is wrong.") % {"value": value}
    return ""


def validate_patent_number(value):
    problem = patent_number_problem(value)
    if problem:
        raise ValidationError(problem, code="patent_number")


def validate_patent_numbers(values):
    problems = [patent_number_problem(value) for value in values or ()]
    problems = [problem for problem in problems if problem]
    if problems:
        raise ValidationError(problems, code="patent_number")
