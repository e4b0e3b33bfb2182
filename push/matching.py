"""Who is to hear of a publication: set-based SQL over the subscription index, never a query
per subscriber.

A subscription matches a demand by industry field, by region (its own code, its city's or its
province's) or by keyword, and a user with several matching subscriptions (or one matching
three ways) is one recipient. Keywords are matched against the demand's public projection
only: its search columns (``search_tokens``, ``search_bigrams``, written from the projection
by ``demands.public.projection.refresh_public_index``) give the candidates through the anchor
index, and the projection's own texts, with every hidden passage already cut out, confirm
them. A hidden value can therefore never make a subscriber match.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from common import search
from notifications.enums import DeliveryMode
from notifications.models import NotificationPreference

from .models import Subscription, SubscriptionKeyword, SubscriptionRegion
from .subscriptions import region_keys

KIND = "demand.published"


@dataclass(frozen=True)
class PublicText:
    """What keywords are matched against: the projection's texts (normalised) and tokens."""

    text: str
    tokens: frozenset
    terms: frozenset

    @classmethod
    def of(cls, projection, *, search_tokens=None, search_bigrams=None):
        """From the projection; the search columns are taken as stored when given, else
        computed by the same function that stores them."""
        title_texts, body_texts = projection.search_texts()
        if search_tokens is None or search_bigrams is None:
            columns = search.index_columns(title_texts, body_texts)
            search_tokens, search_bigrams = columns["search_tokens"], columns["search_bigrams"]
        text = search.normalise("\n".join(t for t in (*title_texts, *body_texts) if t))
        tokens = frozenset(search_tokens.split())
        bigrams = set(search_bigrams.split())
        chars = {char for bigram in bigrams for char in bigram}
        latin = {token for token in tokens if search.LATIN_WORD.fullmatch(token)}
        return cls(text=text, tokens=tokens, terms=frozenset(bigrams | chars | latin))

    def contains(self, keyword):
        """Whether a normalised keyword occurs: each Chinese run as written, each Latin word
        as a token."""
        runs = search.CJK_RUN.findall(keyword)
        words = search.LATIN_WORD.findall(keyword)
        if not (runs or words):
            return False
        return (all(run in self.text for run in runs)
                and all(word in self.tokens for word in words))


def matched_keywords(public_text):
    """The distinct subscribed keywords that occur in the demand's public text (one query)."""
    if not public_text.terms:
        return []
    candidates = (SubscriptionKeyword.objects.filter(anchor__in=sorted(public_text.terms))
                  .values_list("keyword", flat=True).distinct())
    return sorted(keyword for keyword in candidates if public_text.contains(keyword))


def matching_subscriptions(*, industry_field_id, region, keywords):
    """Subscriptions that follow the field, cover the region or hold one of ``keywords``."""
    conditions = Q(pk__in=[])
    if industry_field_id:
        through = Subscription.fields.through
        conditions |= Q(pk__in=through.objects.filter(industryfield_id=industry_field_id)
                        .values("subscription_id"))
    codes = region_keys(region)
    if codes:
        conditions |= Q(pk__in=SubscriptionRegion.objects.filter(code__in=codes)
                        .values("subscription_id"))
    if keywords:
        conditions |= Q(pk__in=SubscriptionKeyword.objects.filter(keyword__in=list(keywords))
                        .values("subscription_id"))
    return Subscription.objects.filter(conditions)


def recipients_query(*, industry_field_id, region, keywords):
    """Active users with a matching subscription who have not turned the kind off, each once,
    in id order (the fan-out's checkpoint order)."""
    subscriptions = matching_subscriptions(industry_field_id=industry_field_id, region=region,
                                           keywords=keywords)
    turned_off = NotificationPreference.objects.filter(kind=KIND, mode=DeliveryMode.OFF)
    return (get_user_model().objects
            .filter(is_active=True, pk__in=subscriptions.values("user_id"))
            .exclude(pk__in=turned_off.values("user_id"))
            .order_by("pk"))


def recipient_ids(demand, projection, *, after=0):
    """Ids of the users to notify of ``demand``'s publication, greater than ``after``, in
    order: two queries whatever the number of subscribers."""
    public_text = PublicText.of(projection, search_tokens=demand.search_tokens or None,
                                search_bigrams=demand.search_bigrams or None)
    query = recipients_query(industry_field_id=demand.industry_field_id,
                             region=projection.region_code,
                             keywords=matched_keywords(public_text))
    return list(query.filter(pk__gt=after).values_list("pk", flat=True))
