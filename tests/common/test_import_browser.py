"""The progress page in a real browser: htmx polls the status partial (under the strict CSP)
until the job has finished, then shows the result."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client

from common.importexport import services
from common.importexport.models import ImportJob
from common.importexport.tasks import run_import
from contests.models import ComplaintChannel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_progress_page_polls_until_done(browser_page, live_server, host_organiser,
                                               host_unit, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    header = ",".join(["ID", str(ComplaintChannel._meta.get_field("host_unit").verbose_name),
                       str(ComplaintChannel._meta.get_field("name").verbose_name),
                       str(ComplaintChannel._meta.get_field("phone").verbose_name)])
    rows = [f",{host_unit.name},受理机构{i},029-8678{i:04d}" for i in range(30)]
    upload = SimpleUploadedFile("c.csv", ("\n".join([header, *rows]) + "\n").encode())
    # A busy worker: the job waits, pending, while the page is open.
    monkeypatch.setattr(run_import, "delay", lambda **kwargs: None)
    job = services.start_import(user=host_organiser, resource_key="contests.complaintchannel",
                                upload=upload, dry_run=False)

    Authenticator.objects.create(user=host_organiser, type=Authenticator.Type.TOTP,
                                 data={"secret": "test"})
    client = Client()
    client.force_login(host_organiser)
    browser_page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    errors = []
    browser_page.on("console", lambda message: errors.append(message.text)
                    if message.type == "error" else None)
    browser_page.goto(live_server.url + job.get_absolute_url())
    browser_page.wait_for_selector("#job-status[hx-trigger]")
    assert browser_page.locator("progress.import-progress").get_attribute("value") == "0"

    services.run_job(job.pk)  # the worker gets to it

    browser_page.wait_for_selector("#job-status:not([hx-trigger]) .alert-success")
    assert browser_page.locator("progress.import-progress").get_attribute("value") == "30"
    assert ImportJob.objects.get(pk=job.pk).state == "done"
    assert ComplaintChannel.objects.count() == 30
    assert not [e for e in errors if "Content Security Policy" in e]
