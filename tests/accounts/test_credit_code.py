import pytest
from django.core.exceptions import ValidationError

from accounts.credit_code import check_character, is_valid, validate_credit_code

# DOMAIN.md: public examples, registering authorities 1 (机构编制) and 9 (工商: 91 企业, 92 个体).
VALID_CODES = [
    "91110000600037341L",
    "91110108551385082Q",
    "91110000101623741K",
    "911101066976941872",
    "121200004013590816",
    "91310115MA1K3BTP2B",
    "91440300568520498A",
    "92340602MA2PBMEM24",
    "91620105L015101280",
    "91350100M000100Y43",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_credit_code_valid_samples_pass(code):
    validate_credit_code(code)
    assert is_valid(code)


@pytest.mark.parametrize("code", ["A1110000MA0000001", "N2110000MA0000001", "Y1110000MA0000001"])
def test_credit_code_starting_with_a_n_y_accepted_when_check_matches(code):
    # python-stdnum wrongly rejects these authorities; ours only looks at the check character.
    full = code + check_character(code)
    validate_credit_code(full)


def test_credit_code_lowercase_and_spaces_are_normalised():
    validate_credit_code(" 91110000600037341l ")


@pytest.mark.parametrize(("code", "error_code"), [
    ("91110000600037341N", "checksum"),
    ("9111000060003IOZSV", "alphabet"),
    ("9111000060003734", "length"),
    ("91110000600037341LL", "length"),
    ("91350211M0000XUF46", "checksum"),  # a real pilot-era Fujian code: staff override only
])
def test_credit_code_invalid_samples_rejected_with_reason(code, error_code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == error_code
    assert not is_valid(code)


def test_credit_code_alphabet_error_names_the_bad_letters():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("9111000060003IOZSV")
    message = caught.value.messages[0]
    assert "I、O、S、V、Z" in message
