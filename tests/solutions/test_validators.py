import pytest
from django.core.exceptions import ValidationError

from solutions.validators import (
    application_check,
    patent_number_problem,
    validate_patent_number,
    validate_patent_numbers,
)


@pytest.mark.parametrize("number", [
    "200310102344.5",          # the example of ZC0006-2003
    "ZL200310102344.5",
    "ZL 2003 1 0102344.5",     # as printed on certificates
    "CN200310102344.5",
    "zl200310102344.5",
    "CN101234567A",            # publication numbers carry no check character
    "CN1234567A",
    "CN203456789U",
])
def test_valid(number):
    assert patent_number_problem(number) == ""
    validate_patent_number(number)


@pytest.mark.parametrize("number", [
    "ZL200310102344.6",        # wrong check
    "ZL200340102344.5",        # unknown type digit 4
    "ZL20031010234.5",         # 11 digits
    "US7654321B2",
    "CN101234567",             # publication number without kind code
    "",
])
def test_invalid(number):
    assert patent_number_problem(number)
    with pytest.raises(ValidationError):
        validate_patent_number(number)


def test_check_x_for_ten():
    # Find a serial whose check is 10 and see it written as X.
    digits = next(f"2019100{n:05d}" for n in range(100000) if application_check(f"2019100{n:05d}")
                  == "X")
    assert patent_number_problem(f"ZL{digits}.X") == ""
    assert patent_number_problem(f"ZL{digits}.0")


def test_list_reports_each_problem():
    with pytest.raises(ValidationError) as raised:
        validate_patent_numbers(["ZL200310102344.5", "ZL200310102344.6", "XX"])
    assert len(raised.value.messages) == 2
