"""One masked form per kind of value, wherever a value is shown masked: public pages, the
details a challenger sees without the contact's consent, the audit log.

=============  ==========================  ===========================
kind           value                       masked
=============  ==========================  ===========================
e-mail         ``zhang.san@example.cn``    ``z***@example.cn``
mobile         ``+86 138 1234 5678``       ``138****5678``
phone          ``010-88656297``            ``***-****6297`` (a mobile number: as a mobile)
name           ``欧阳娜娜``                 ``欧***``
ID number      ``110101199003074514``      ``**************4514``
credit code    ``91110108000000001X``      ``**************001X``
secret         anything                    ``***``
=============  ==========================  ===========================

A value that does not have the shape of its kind is masked whole (``***``); an empty value
stays empty.
"""

import re

from .phones import MOBILE_RE, normalise_mobile

MASK = "***"


def mask_email(value):
    """``zhang.san@example.cn`` → ``z***@example.cn``."""
    value = (value or "").strip()
    if not value:
        return ""
    local, at, domain = value.partition("@")
    if not (at and local and domain):
        return MASK
    return f"{local[0]}{MASK}@{domain}"


def mask_mobile(value):
    """``+86 138 1234 5678`` → ``138****5678``."""
    number = normalise_mobile((value or "").strip())
    if not number:
        return ""
    if not MOBILE_RE.match(number):
        return MASK
    return f"{number[:3]}****{number[-4:]}"


def mask_phone(value):
    """Any telephone number: a mobile number as :func:`mask_mobile`; otherwise every digit but
    the last four becomes ``*``, separators kept (``(010) 8865-6297`` → ``(***) ****-6297``)."""
    value = (value or "").strip()
    if not value:
        return ""
    if MOBILE_RE.match(normalise_mobile(value)):
        return mask_mobile(value)
    if len(re.findall(r"\d", value)) < 7:
        return MASK
    return re.sub(r"\d(?=(?:\D*\d){4})", "*", value)


def mask_name(value):
    """A person's name: its first character, then one ``*`` per other character (``张三`` →
    ``张*``)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 1:
        return "*"
    return value[0] + "*" * (len(value) - 1)


def _last_four(value):
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 6:
        return MASK
    return "*" * (len(value) - 4) + value[-4:]


def mask_id_number(value):
    """An ID card, passport or bank account number: only its last four characters."""
    return _last_four(value)


def mask_credit_code(value):
    """A unified social credit code (统一社会信用代码): only its last four characters."""
    return _last_four(value)


def mask_secret(value):
    """A password, token or key: nothing of it."""
    return "" if value in (None, "") else MASK


MASKS = {
    "email": mask_email,
    "mobile": mask_mobile,
    "phone": mask_phone,
    "name": mask_name,
    "id_number": mask_id_number,
    "credit_code": mask_credit_code,
    "secret": mask_secret,
}


def mask(kind, value):
    """``value`` masked as a value of ``kind`` (a key of :data:`MASKS`). Numbers are masked as
    their digits; anything else that is not text is masked whole."""
    if value in (None, ""):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return MASK
    return MASKS[kind](value)
