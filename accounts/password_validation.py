"""Password rules assessed under MLPS 2.0 (GB/T 22239-2019): length and character classes.

Common and user-similar passwords are refused by Django's own validators, configured beside this
one in ``AUTH_PASSWORD_VALIDATORS``.
"""

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
