"""``/sitemap.xml``: the public pages (home, lists), events and host units of the current
contest, and every published demand (from the public index, nothing from the model)."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from contests.models import Event, HostUnit

from .projection import public_demands


class _PortalSitemap(Sitemap):
    """Absolute URLs on the portal's own address (``SITE_URL``), not the sites framework's
    placeholder domain."""

    limit = 5000

    def get_domain(self, site=None):
        return urlparse(settings.SITE_URL).netloc or super().get_domain(site)

    def get_protocol(self, protocol=None):
        return urlparse(settings.SITE_URL).scheme or super().get_protocol(protocol)


class StaticSitemap(_PortalSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "contests:event_list", "demands:list"]

    def location(self, item):
        return reverse(item)


class EventSitemap(_PortalSitemap):
    changefreq = "weekly"

    def items(self):
        from contests.selectors import current_contest

        return Event.objects.filter(contest=current_contest()).order_by("number")


class HostUnitSitemap(_PortalSitemap):
    changefreq = "weekly"

    def items(self):
        from contests.selectors import current_contest

        return (HostUnit.objects.filter(event__contest=current_contest())
                .order_by("event__number", "pk"))


class DemandSitemap(_PortalSitemap):
    changefreq = "daily"

    def items(self):
        return public_demands().order_by("-published_at", "-pk").values("ref",
                                                                        "public_indexed_at")

    def location(self, item):
        return reverse("demands:detail", kwargs={"ref": item["ref"]})

    def lastmod(self, item):
        return item["public_indexed_at"]


SITEMAPS = {
    "pages": StaticSitemap,
    "events": EventSitemap,
    "hosts": HostUnitSitemap,
    "demands": DemandSitemap,
}
