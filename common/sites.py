"""One configured address of the portal (``settings.SITE_URL``) for every absolute link: feeds,
CSV exports, e-mails, the API, and Django admin's "view on site", which reads the sites
framework's current ``Site`` (``example.com`` unless told otherwise). :func:`sync_site` writes
``SITE_URL``'s host into that row after every ``migrate``, so ``make run`` (which migrates with
the address it serves) and a deployment (which migrates with its own) need nothing else."""

from urllib.parse import urlparse

from django.conf import settings


def site_domain():
    """``host[:port]`` of ``SITE_URL``."""
    return urlparse(settings.SITE_URL).netloc


def sync_site(**kwargs):
    """Make the current ``Site`` say ``SITE_URL``'s host (post_migrate receiver; idempotent)."""
    from django.apps import apps

    if not apps.is_installed("django.contrib.sites"):
        return
    from django.contrib.sites.models import Site

    domain = site_domain()
    if not domain:
        return
    name = str(settings.PORTAL_NAME)
    Site.objects.update_or_create(pk=settings.SITE_ID,
                                  defaults={"domain": domain, "name": name})
    Site.objects.clear_cache()
