"""Masking of sensitive values before they reach the audit log: which keys of the JSON data
hold what kind of value. The masked form of each kind is :mod:`common.masking`'s, the same as on
every page.

Keys are compared word by word (``user_password``, ``contactMobile`` and ``id-number`` all
match), so a harmless key that merely contains the letters of a sensitive word
(``footprint``, ``credit_code``) is left alone.
"""

import re
from enum import Enum

from common.masking import MASK, mask

# Values replaced entirely.
SECRET_WORDS = {
    "password", "passwd", "pwd", "password1", "password2", "oldpassword", "newpassword",
    "token", "secret", "apikey", "authorization", "cookie", "credential", "credentials",
    "otp", "totp", "pin", "cvv", "sessionid", "csrfmiddlewaretoken", "signature_data",
}
SECRET_PHRASES = {
    ("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"),
    ("session", "key"), ("recovery", "codes"), ("auth", "code"),
}
EMAIL_WORDS = {"email", "mail", "emails"}
EMAIL_PHRASES = {("e", "mail")}
PHONE_WORDS = {"phone", "mobile", "tel", "telephone", "cellphone", "fax", "phones", "mobiles"}
ID_WORDS = {"idnumber", "idcard", "idno", "passport"}
ID_PHRASES = {("id", "number"), ("id", "card"), ("id", "no"), ("identity", "number"),
              ("card", "number"), ("bank", "account")}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def _words(key):
    return [word for word in _SPLIT.split(_CAMEL.sub("_", str(key)).lower()) if word]


def _has(words, singles, phrases=()):
    if any(word in singles for word in words):
        return True
    pairs = set(zip(words, words[1:], strict=False))
    return any(phrase in pairs for phrase in phrases)


def kind_of_key(key):
    """The kind of value (a kind of :func:`common.masking.mask`) a key holds: 'secret',
    'email', 'phone', 'id_number' or None."""
    words = _words(key)
    if _has(words, SECRET_WORDS, SECRET_PHRASES):
        return "secret"
    if _has(words, EMAIL_WORDS, EMAIL_PHRASES):
        return "email"
    if _has(words, PHONE_WORDS):
        return "phone"
    if _has(words, ID_WORDS, ID_PHRASES):
        return "id_number"
    return None


def mask_data(data):
    """A copy of ``data`` (dicts, lists, scalars) with sensitive values masked."""
    if isinstance(data, dict):
        masked = {}
        for key, value in data.items():
            # Enum keys (allauth passes LoginMethod.EMAIL) are written by their value.
            key = str(key.value if isinstance(key, Enum) else key)
            kind = kind_of_key(key)
            if kind is None:
                masked[key] = mask_data(value)
            elif isinstance(value, list | tuple):
                masked[key] = [mask(kind, item) for item in value]
            elif isinstance(value, dict):
                masked[key] = MASK
            else:
                masked[key] = mask(kind, value)
        return masked
    if isinstance(data, list | tuple):
        return [mask_data(item) for item in data]
    return data
