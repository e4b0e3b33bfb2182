import pytest
from django.core.exceptions import ValidationError

from accounts.mobile import normalise_mobile, validate_mobile


@pytest.mark.parametrize("raw", [
    "13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "0086-13800138000",
    "8613800138000", "+86-138-0013-8000",
])
def test_mobile_written_in_usual_ways_normalises_to_eleven_digits(raw):
    assert normalise_mobile(raw) == "13800138000"
    validate_mobile(raw)


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380000", "010-88656297",
                                 "1380013800a", ""])
def test_mobile_invalid_numbers_rejected(raw):
    with pytest.raises(ValidationError):
        validate_mobile(raw)


def test_mobile_new_prefixes_accepted_without_carrier_check():
    # 19x and 16x numbers exist and are portable between carriers.
    validate_mobile("19912345678")
    validate_mobile("16612345678")
