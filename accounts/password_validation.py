"""Password rules assessed under MLPS 2.0 (GB/T 22239-2019): length and character classes, and
no personal data inside the password.

Common and user-similar passwords are refused by Django's own validators, configured beside
these in ``AUTH_PASSWORD_VALIDATORS``. ``PersonalDataValidator`` adds what similarity misses: a
password that merely *contains* the mobile number, the full name or the whole e-mail local part.
Sign-up validates against every profile field typed on the form (``PortalSignupForm.clean``), a
password change against the saved profile.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

LOWER = "lower"
UPPER = "upper"
DIGIT = "digit"
SYMBOL = "symbol"

CLASSES = (LOWER, UPPER, DIGIT, SYMBOL)


def character_classes(password):
    """The classes of characters ``password`` uses; anything not a letter or digit (punctuation,
    spaces, Chinese characters) counts as a symbol."""
    classes = set()
    for char in password:
        if char.isdigit():
            classes.add(DIGIT)
        elif char.islower():
            classes.add(LOWER)
        elif char.isupper():
            classes.add(UPPER)
        else:
            classes.add(SYMBOL)
    return classes


class CharacterClassValidator:
    """At least ``min_length`` characters from at least ``min_classes`` of the four classes."""

    def __init__(self, min_length=8, min_classes=3):
        if not 1 <= min_classes <= len(CLASSES):
            raise ValueError("min_classes must be between 1 and 4")
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(ValidationError(
                ngettext(
                    "This password is too short: use at least %(min_length)d character.",
                    "This password is too short: use at least %(min_length)d characters.",
                    self.min_length,
                ),
                code="password_too_short",
                params={"min_length": self.min_length},
            ))
        used = character_classes(password)
        if len(used) < self.min_classes:
            errors.append(ValidationError(
                ngettext(
                    "This password uses only %(used)d kind of character. Use at least "
                    "%(min_classes)d of these kinds: lower-case letters, upper-case letters, "
                    "digits and symbols (such as ! # @ or a space).",
                    "This password uses only %(used)d kinds of character. Use at least "
                    "%(min_classes)d of these kinds: lower-case letters, upper-case letters, "
                    "digits and symbols (such as ! # @ or a space).",
                    len(used),
                ),
                code="password_too_few_classes",
                params={"used": len(used), "min_classes": self.min_classes},
            ))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "Your password must have at least %(min_length)d characters and use at least "
            "%(min_classes)d of these kinds: lower-case letters, upper-case letters, digits and "
            "symbols."
        ) % {"min_length": self.min_length, "min_classes": self.min_classes}


def _compact(value):
    """Lower-case, without spaces and punctuation, so "Zhang Wei" and "zhang.wei" both match."""
    return re.sub(r"[\W_]+", "", str(value or "")).lower()


class PersonalDataValidator:
    """Refuses a password containing one of the user's profile values: the mobile number, the
    full name, the e-mail address or its whole local part. Values shorter than
    ``min_length`` characters (after dropping spaces and punctuation) are not checked: a
    one-letter name would refuse half of all passwords."""

    def __init__(self, user_attributes=("mobile", "full_name", "email"), min_length=3):
        self.user_attributes = tuple(user_attributes)
        self.min_length = min_length

    def _values(self, user):
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if not value:
                continue
            value = str(value)
            yield attribute, value
            if attribute == "email" and "@" in value:
                yield attribute, value.rsplit("@", 1)[0]

    def validate(self, password, user=None):
        if user is None:
            return
        compact_password = _compact(password)
        for attribute, value in self._values(user):
            compact = _compact(value)
            # Chinese names are two or three characters: they count from two.
            shortest = 2 if any(ord(char) > 0x2E80 for char in compact) else self.min_length
            if len(compact) >= shortest and compact in compact_password:
                raise ValidationError(
                    _("The password must not contain your %(field)s."),
                    code="password_contains_personal_data",
                    params={"field": _field_label(attribute)},
                )

    def get_help_text(self):
        return _("Your password must not contain your mobile number, your name or your e-mail "
                 "address.")


def _field_label(attribute):
    labels = {"mobile": _("mobile number"), "full_name": _("name"),
              "email": _("e-mail address")}
    return labels.get(attribute, attribute)
