"""One masked form per kind of value, the same on public pages, in the hidden details and in
the audit log."""

import pytest

from audit.masking import mask_data
from common.masking import (
    MASK,
    mask,
    mask_credit_code,
    mask_email,
    mask_id_number,
    mask_mobile,
    mask_name,
    mask_phone,
    mask_secret,
)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("zhang@example.com", "z***@example.com"),
        (" zhang.san@example.cn ", "z***@example.cn"),
        ("", ""),
        ("not-an-address", MASK),
        ("@example.com", MASK),
        ("zhang@", MASK),
    ],
)
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800135678", "138****5678"),
        ("+86 138 0013 5678", "138****5678"),
        ("not a number", MASK),
        ("", ""),
    ],
)
def test_mask_mobile_keeps_first_three_and_last_four(value, masked):
    assert mask_mobile(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("(010) 8865-6297", "(***) ****-6297"),
        ("029-88886666", "***-****6666"),
        ("010-88656297", "***-****6297"),
        ("138 0013 5678", "138****5678"),  # a mobile number is masked as one
        ("6297", MASK),
        ("", ""),
    ],
)
def test_mask_phone_keeps_the_last_four_digits(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("李", "*"),
        ("", ""),
    ],
)
def test_mask_name_keeps_the_first_character(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("function", "value", "masked"),
    [
        (mask_id_number, "110101199003074514", "**************4514"),
        (mask_id_number, "E1234567", "****4567"),
        (mask_id_number, "12345", MASK),
        (mask_credit_code, "91110108000000001X", "**************001X"),
        (mask_credit_code, "", ""),
    ],
)
def test_mask_identifiers_keep_the_last_four_characters(function, value, masked):
    assert function(value) == masked


def test_mask_secret_shows_nothing():
    assert mask_secret("Secret-2026-pass") == MASK
    assert mask_secret("") == ""


def test_mask_by_kind_handles_numbers_and_other_values():
    assert mask("phone", 13800135678) == "138****5678"
    assert mask("email", ["a@example.cn"]) == MASK
    assert mask("secret", True) == MASK
    assert mask("email", None) is None


def test_the_audit_log_masks_values_in_the_same_form_as_the_pages():
    data = {
        "email": "zhang.san@example.cn",
        "contact_mobile": "+86 138 0013 5678",
        "phone": "(010) 8865-6297",
        "id_number": "110101199003074514",
    }

    assert mask_data(data) == {
        "email": mask_email(data["email"]),
        "contact_mobile": mask_mobile(data["contact_mobile"]),
        "phone": mask_phone(data["phone"]),
        "id_number": mask_id_number(data["id_number"]),
    }
