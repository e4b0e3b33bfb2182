"""Mainland China mobile numbers: normalise, validate (DOMAIN.md "Mobile numbers"). The
normalised form is :mod:`common.phones`'s, the masked form :func:`common.masking.mask_mobile`.

Carrier prefixes are not checked: numbers have been portable between carriers since 2019.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.phones import MOBILE_RE, normalise_mobile

__all__ = ["MOBILE_RE", "MobileField", "normalise_mobile", "validate_mobile"]


def validate_mobile(value):
    if not MOBILE_RE.match(normalise_mobile(value)):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13–19, such as "
              "138 0013 8000."),
            code="invalid_mobile",
        )


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
