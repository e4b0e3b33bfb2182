"""Password rules (MLPS 2.0): 8+ characters from 3 of 4 classes, no common or user-like ones."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.password_validation import CharacterClassValidator, character_classes
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """Messages are compared in English, whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def errors_of(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [(item.code, str(item.message % item.params if item.params else item.message))
                for item in error.error_list]
    return []


@pytest.mark.parametrize("password", [
    "Harbour-lights",   # lower, upper, symbol
    "harbour-lights-42",  # lower, symbol, digit
    "HARBOUR42LIGHTS!",  # upper, digit, symbol
    "Tianjin2026port",  # lower, upper, digit
    "天津港口-Harbour",  # Chinese characters count as symbols
])
def test_password_with_three_classes_is_accepted(password):
    assert errors_of(password) == []


@pytest.mark.parametrize("password", ["harbourlights", "harbour2lights", "HARBOURLIGHTS42"])
def test_password_with_fewer_than_three_classes_is_refused(password):
    codes = [code for code, _message in errors_of(password)]

    assert "password_too_few_classes" in codes


def test_too_few_classes_message_says_what_to_do():
    messages = dict(errors_of("harbour2lights"))

    assert messages["password_too_few_classes"] == (
        "This password uses only 2 kinds of character. Use at least 3 of these kinds: "
        "lower-case letters, upper-case letters, digits and symbols (such as ! # @ or a space)."
    )


def test_short_password_is_refused_with_the_minimum():
    messages = dict(errors_of("Ab1!xyz"))

    assert messages["password_too_short"] == (
        "This password is too short: use at least 8 characters."
    )


def test_common_password_is_refused_even_with_three_classes():
    assert character_classes("Password123") == {"lower", "upper", "digit"}

    codes = [code for code, _message in errors_of("Password123")]

    assert codes == ["password_too_common"]


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Zhang.weiming@example", "Zhangweiming-1", "13812345678Ab"])
def test_password_like_the_users_address_name_or_mobile_is_refused(password):
    user = UserFactory(email="zhang.weiming@example.cn", full_name="zhangweiming",
                       mobile="13812345678")

    codes = [code for code, _message in errors_of(password, user)]

    # Django's similarity check, and the portal's containment check beside it.
    assert "password_too_similar" in codes
    assert set(codes) <= {"password_too_similar", "password_contains_personal_data"}


def test_help_text_states_the_rule():
    texts = " ".join(str(text) for text in password_validators_help_texts())

    assert "at least 8 characters and use at least 3 of these kinds" in texts


def test_validator_refuses_impossible_configuration():
    with pytest.raises(ValueError):
        CharacterClassValidator(min_classes=5)


@pytest.mark.django_db
def test_change_password_form_shows_the_rule(client):
    user = UserFactory(email="li.lei@example.cn")
    client.force_login(user)

    response = client.post(reverse("account_change_password"), {
        "oldpassword": "Portal-2026-pass", "password1": "harbourlights",
        "password2": "harbourlights",
    })

    assert response.status_code == 200
    assert "Use at least 3 of these kinds" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Portal-2026-pass")
