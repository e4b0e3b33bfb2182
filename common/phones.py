"""Mainland China mobile numbers in their one stored form (DOMAIN.md "Mobile numbers"): 11
digits, without spaces, hyphens or country code. Validation and the form field are in
``accounts.mobile``; masking is in :mod:`common.masking`.

Carrier prefixes are not checked: numbers have been portable between carriers since 2019.
"""

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-\u00a0\u3000]")


def normalise_mobile(value):
    """Strip spaces and hyphens and a leading +86 / 0086 / 86 country code."""
    number = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) - len(prefix) == 11:
            return number[len(prefix) :]
    return number
