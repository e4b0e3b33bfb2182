"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28


def normalise(code):
    return (code or "").strip().upper().replace(" ", "")


def check_character(first17):
    total = sum(ALPHABET.index(char) * weight
                for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code):
    code = normalise(code)
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    return check_character(code[:17]) == code[17]


def validate_credit_code(value):
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise ValidationError(
            _("The characters %(chars)s never appear in a unified social credit code "
              "(I, O, S, V and Z are not used)."),
            code="alphabet",
            params={"chars": "、".join(bad)},
        )
    expected = check_character(code[:17])
    if expected != code[17]:
        raise ValidationError(
            _("The check character does not match: please compare the code with the business "
              "licence."),
            code="checksum",
        )
