"""Absolute links use the one configured SITE_URL, whatever host or port serves the request:
feeds, the CSV export, e-mails, the API and admin's "view on site"."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site

from common.sites import sync_site
from demands.enums import DemandStatus
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.demands import DemandFactory

SITE = "https://cic.example.org:8443"


@pytest.fixture
def configured(settings, db):
    settings.SITE_URL = SITE
    sync_site()
    return SITE


@pytest.fixture
def demand(host_unit):
    return publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))


def test_feeds_csv_and_api_link_to_the_site_url(client, configured, demand):
    page = f"{SITE}/demands/{demand.ref}/"
    for path in ("/demands/feed/", "/demands/feed/atom/", "/demands/export.csv"):
        response = client.get(path, HTTP_HOST="localhost:9999")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert page in text, path
        assert "127.0.0.1:8000" not in text and "localhost:9999" not in text, path
    row = json.loads(client.get(f"/api/v1/demands/{demand.ref}/").content)
    assert row["url"] == page


def test_e_mails_link_to_the_site_url(configured, demand_owner):
    from django.test import TestCase

    from notifications.models import OutboundEmail
    from notifications.services import notify

    with TestCase.captureOnCommitCallbacks(execute=True):
        notify(recipient=demand_owner, kind="demand.status_changed",
               context={"ref": "6-01-0001", "title": "标题", "status": "published",
                        "status_label": "已发布", "comment": ""},
               idempotency_key="site-url", url="/demands/6-01-0001/")
    assert f"{SITE}/demands/6-01-0001/" in OutboundEmail.objects.get().body


def test_admin_view_on_site_goes_to_the_site_url(client, configured, demand, torch_staff):
    from allauth.mfa.models import Authenticator

    assert Site.objects.get_current().domain == "cic.example.org:8443"
    Authenticator.objects.create(user=torch_staff, type=Authenticator.Type.TOTP,
                                 data={"secret": "test-only"})
    client.force_login(torch_staff)
    content_type = ContentType.objects.get_for_model(demand)
    response = client.get(f"/admin/r/{content_type.pk}/{demand.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"://cic.example.org:8443/demands/{demand.ref}/")
    assert "example.com" not in response["Location"]


def test_sync_site_is_idempotent(settings, db):
    settings.SITE_URL = "http://127.0.0.1:8123"
    sync_site()
    sync_site()
    assert list(Site.objects.values_list("domain", flat=True)) == ["127.0.0.1:8123"]
