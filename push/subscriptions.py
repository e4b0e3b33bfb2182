"""Writes of demand subscriptions: create, change, delete, and the index rows the fan-out
matches against (one per region code, one per keyword with its anchor term).

Keywords are matched against a demand's public texts only (see ``push.matching``): a keyword
matches when each of its Chinese runs occurs there as written and each of its Latin words is
a token of the search column. The anchor of a keyword is one term that the public search
columns of every demand containing it hold, so candidates are found through an index.
"""

import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common import search
from common.errors import DomainError
from common.regions import PROVINCES

from .models import Subscription, SubscriptionKeyword, SubscriptionRegion

MAX_SUBSCRIPTIONS = 20
MAX_KEYWORDS = 10
MAX_REGIONS = 40
MAX_KEYWORD_LENGTH = 20


class SubscriptionError(DomainError):
    """A subscription that cannot be saved; the message is for the user."""


# --- keywords ---------------------------------------------------------------------------------
def normalise_keyword(text):
    """The form a keyword is stored and matched in: NFKC, lower case, single spaces."""
    return " ".join(search.normalise(text).split())


def keyword_anchor(keyword):
    """The index term of a normalised keyword: the first bigram of its longest Chinese run (the
    run itself when it is one character), else its first Latin word; empty when it has
    nothing searchable."""
    runs = search.CJK_RUN.findall(keyword)
    if runs:
        longest = max(runs, key=len)
        return longest[:2]
    words = search.LATIN_WORD.findall(keyword)
    return words[0] if words else ""


def split_keywords(text):
    """Keywords typed in one box, separated by commas (either width), 、, ; or new lines."""
    return [part.strip() for part in re.split(r"[,，、;；\n]+", text or "") if part.strip()]


def clean_keywords(values):
    """Normalised, de-duplicated keywords; raises SubscriptionError for one that is too long or
    has nothing searchable."""
    cleaned = []
    for value in values:
        keyword = normalise_keyword(value)
        if not keyword:
            continue
        if len(keyword) > MAX_KEYWORD_LENGTH:
            raise SubscriptionError(
                _("“%(keyword)s” is too long: a keyword has at most %(max)d characters.")
                % {"keyword": value, "max": MAX_KEYWORD_LENGTH}, field="keywords")
        if not keyword_anchor(keyword):
            raise SubscriptionError(
                _("“%(keyword)s” has no letter, digit or Chinese character to look for.")
                % {"keyword": value}, field="keywords")
        if keyword not in cleaned:
            cleaned.append(keyword)
    if len(cleaned) > MAX_KEYWORDS:
        raise SubscriptionError(_("At most %(max)d keywords per subscription.")
                                % {"max": MAX_KEYWORDS}, field="keywords")
    return cleaned


# --- regions ----------------------------------------------------------------------------------
def clean_regions(values):
    """6-digit GB/T 2260 codes, de-duplicated; a code inside a province already listed is
    dropped (the province covers it). Raises SubscriptionError for anything else."""
    codes = []
    for value in values:
        code = (value or "").strip()
        if not code:
            continue
        if len(code) != 6 or not code.isdigit() or code[:2] + "0000" not in PROVINCES:
            raise SubscriptionError(
                _("“%(code)s” is not a region code: use 6 digits, such as 610000 for a "
                  "province or 610100 for a city.") % {"code": value}, field="regions")
        if code not in codes:
            codes.append(code)
    covered = [code for code in codes if any(
        other != code and covers(other, code) for other in codes)]
    codes = [code for code in codes if code not in covered]
    if len(codes) > MAX_REGIONS:
        raise SubscriptionError(_("At most %(max)d regions per subscription.")
                                % {"max": MAX_REGIONS}, field="regions")
    return codes


def covers(code, other):
    """Whether subscribing to region ``code`` covers a demand in region ``other``: the same
    code, its province (``XX0000``) or its city (``XXXX00``)."""
    return code in region_keys(other)


def region_keys(code):
    """The subscription codes that cover a demand in region ``code``: itself, its city and its
    province."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return []
    return list(dict.fromkeys([code, code[:4] + "00", code[:2] + "0000"]))


# --- writes -----------------------------------------------------------------------------------
def _check_not_empty(fields, regions, keywords):
    if not (fields or regions or keywords):
        raise SubscriptionError(_("Choose at least one industry field, region or keyword."))


def _write_index(subscription):
    subscription.region_index.all().delete()
    subscription.keyword_index.all().delete()
    SubscriptionRegion.objects.bulk_create(
        [SubscriptionRegion(subscription=subscription, code=code)
         for code in subscription.regions])
    SubscriptionKeyword.objects.bulk_create(
        [SubscriptionKeyword(subscription=subscription, keyword=keyword,
                             anchor=keyword_anchor(keyword))
         for keyword in subscription.keywords])


def create_subscription(user, *, name="", fields=(), regions=(), keywords=()):
    """Subscribe ``user`` to newly published demands of any of ``fields`` (IndustryField
    instances), ``regions`` (6-digit codes) or ``keywords``. Raises SubscriptionError."""
    regions, keywords, fields = clean_regions(regions), clean_keywords(keywords), list(fields)
    _check_not_empty(fields, regions, keywords)
    with transaction.atomic():
        if Subscription.objects.filter(user=user).count() >= MAX_SUBSCRIPTIONS:
            raise SubscriptionError(_("You have %(max)d subscriptions already; change one of "
                                      "them instead.") % {"max": MAX_SUBSCRIPTIONS})
        subscription = Subscription.objects.create(user=user, name=(name or "").strip(),
                                                   regions=regions, keywords=keywords)
        subscription.fields.set(fields)
        _write_index(subscription)
    return subscription


def update_subscription(subscription, *, name="", fields=(), regions=(), keywords=()):
    """Replace what ``subscription`` follows. Raises SubscriptionError."""
    regions, keywords, fields = clean_regions(regions), clean_keywords(keywords), list(fields)
    _check_not_empty(fields, regions, keywords)
    with transaction.atomic():
        subscription.name = (name or "").strip()
        subscription.regions = regions
        subscription.keywords = keywords
        subscription.save(update_fields=["name", "regions", "keywords", "updated_at"])
        subscription.fields.set(fields)
        _write_index(subscription)
    return subscription


def delete_subscription(subscription):
    """Stop following what ``subscription`` follows (its index rows go with it)."""
    subscription.delete()
