"""Mainland China mobile numbers: normalise, validate, mask (DOMAIN.md "Mobile numbers").

Carrier prefixes are not checked: numbers have been portable between carriers since 2019.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-\u00a0\u3000]")


def normalise_mobile(value):
    """Strip spaces and hyphens and a leading +86 / 0086 / 86 country code."""
    number = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) - len(prefix) == 11:
            return number[len(prefix):]
    return number


def validate_mobile(value):
    if not MOBILE_RE.match(normalise_mobile(value)):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13–19, such as "
              "138 0013 8000."),
            code="invalid_mobile",
        )


def mask_mobile(value):
    """``13800138000`` → ``138****8000``; anything that is not a mobile number is masked whole."""
    number = normalise_mobile(value)
    if not MOBILE_RE.match(number):
        return "****" if number else ""
    return f"{number[:3]}****{number[-4:]}"


class MobileField(forms.CharField):
    """A form field that accepts the usual ways of writing a number and cleans to 11 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("label", _("Mobile"))
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")
        self.widget.attrs.setdefault("inputmode", "tel")

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_mobile(value) if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            validate_mobile(value)
