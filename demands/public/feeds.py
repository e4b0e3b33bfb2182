"""RSS and Atom feeds of published demands, rendered from stored public projections only."""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contests.models import Event, IndustryField

from ..enums import DemandStatus
from .projection import from_snapshot, public_demands

FEED_SIZE = 30


def _latest(queryset):
    rows = (queryset.filter(status=DemandStatus.PUBLISHED)
            .order_by("-published_at", "-pk").values_list("public_snapshot", flat=True))
    return [from_snapshot(row) for row in rows[:FEED_SIZE]]


def absolute(path):
    """Links on the portal's own address (``SITE_URL``): the syndication framework would
    otherwise prefix the sites framework's placeholder domain."""
    return settings.SITE_URL.rstrip("/") + path


class LatestDemandsFeed(Feed):
    """Newly published demands (RSS 2.0)."""

    title = _("China Innovation Challenge: published demands")
    description = _("Technology demands open for solutions, newest first.")
    request_path = ""

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request: work on a copy that knows its own request.
        feed = copy.copy(self)
        feed.request_path = request.path
        return Feed.__call__(feed, request, *args, **kwargs)

    def feed_url(self):
        return absolute(self.request_path)

    def link(self):
        return absolute(reverse("demands:list"))

    def items(self):
        return _latest(public_demands())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.public_name, item.industry_name, item.region_name, item.summary]
        return " · ".join(part for part in parts if part)

    def item_link(self, item):
        return absolute(item.url)

    def item_guid(self, item):
        return absolute(item.url)

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [name for name in (item.industry_name, item.event_name) if name]


class LatestDemandsAtomFeed(LatestDemandsFeed):
    feed_type = Atom1Feed
    subtitle = LatestDemandsFeed.description


class EventDemandsFeed(LatestDemandsFeed):
    """Demands of one event of the current contest, by its number."""

    def get_object(self, request, number):
        from contests.selectors import current_contest

        event = Event.objects.filter(contest=current_contest(), number=number).first()
        if event is None:
            raise Http404
        return event

    def title(self, obj):
        return gettext("Published demands: %(event)s") % {"event": obj.name}

    def link(self, obj):
        return absolute(f"{reverse('demands:list')}?event={obj.number}")

    def items(self, obj):
        return _latest(public_demands().filter(host_unit__event=obj))


class FieldDemandsFeed(LatestDemandsFeed):
    """Demands of one industry field, by its code."""

    def get_object(self, request, code):
        field = IndustryField.objects.filter(code=code).first()
        if field is None:
            raise Http404
        return field

    def title(self, obj):
        return gettext("Published demands: %(field)s") % {"field": obj.name}

    def link(self, obj):
        return absolute(f"{reverse('demands:list')}?field={obj.code}")

    def items(self, obj):
        return _latest(public_demands().filter(industry_field=obj))


class NationalDemandsFeed(LatestDemandsFeed):
    """Demands published nationally (集中发布) by the Torch Center."""

    title = _("China Innovation Challenge: nationally published demands")

    def items(self):
        rows = (public_demands().filter(national=True, status=DemandStatus.PUBLISHED)
                .order_by("-national_marked_at", "-pk")
                .values_list("public_snapshot", flat=True))
        return [from_snapshot(row) for row in rows[:FEED_SIZE]]
