"""Import jobs: started from the portal's import page, run by Celery (eager here), watched on a
progress page, confirmed after a clean dry run; only the job's user sees it."""

import os
import tempfile

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError

from audit.models import ActivityLog
from common.importexport import registry, services
from common.importexport.enums import ImportJobState
from common.importexport.models import ImportJob
from common.importexport.tasks import run_import
from contests.models import ComplaintChannel
from contests.resources import ComplaintChannelResource

pytestmark = pytest.mark.django_db

KEY = "contests.complaintchannel"


def column(name):
    return str(ComplaintChannel._meta.get_field(name).verbose_name)


def channels_csv(host_unit, count=2, bad_row=None, name="channels.csv"):
    header = ["ID", column("host_unit"), column("name"), column("phone"), column("position")]
    lines = [",".join(header)]
    for i in range(count):
        phone = "不是电话" if i == bad_row else f"029-8678{i:04d}"
        lines.append(f",{host_unit.name},受理机构{i},{phone},{i}")
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def login(client, user):
    # Staff roles must have an authenticator app (accounts.security.RequireMFAForStaff...).
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": "test"}})
    client.force_login(user)
    return client


def upload(client, host_unit, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("importexport:import_start", args=[KEY]),
                           {"file": channels_csv(host_unit, **kwargs)})


def test_import_page_dry_run_then_confirm_imports_rows(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks):
    login(client, host_organiser)
    response = upload(client, host_unit, django_capture_on_commit_callbacks, count=3)
    dry = ImportJob.objects.get()
    assert response.url == reverse("importexport:job_detail", args=[dry.pk])
    assert (dry.dry_run, dry.state, dry.total_rows, dry.processed_rows) == (
        True, ImportJobState.DONE, 3, 3)
    assert dry.totals["new"] == 3
    assert ComplaintChannel.objects.count() == 0

    page = client.get(response.url).content.decode()
    assert reverse("importexport:job_confirm", args=[dry.pk]) in page
    assert 'value="3"' in page and "<progress" in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("importexport:job_confirm", args=[dry.pk]))
    real = ImportJob.objects.get(dry_run=False)
    assert confirmed.url == real.get_absolute_url()
    assert (real.state, real.confirms_id, real.file.name) == (
        ImportJobState.DONE, dry.pk, dry.file.name)
    assert sorted(ComplaintChannel.objects.values_list("name", flat=True)) == [
        "受理机构0", "受理机构1", "受理机构2"]
    assert ActivityLog.objects.filter(action="portal.import.run", object_id=str(real.pk)).exists()
    assert "Imported" in client.get(confirmed.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_import_confirm_twice_imports_once(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks):
    login(client, host_organiser)
    upload(client, host_unit, django_capture_on_commit_callbacks)
    dry = ImportJob.objects.get()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("importexport:job_confirm", args=[dry.pk]))
    assert ImportJob.objects.filter(dry_run=False).count() == 1
    assert ComplaintChannel.objects.count() == 2


def test_import_job_with_bad_row_fails_lists_errors_and_cannot_be_confirmed(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks):
    login(client, host_organiser)
    upload(client, host_unit, django_capture_on_commit_callbacks, count=5, bad_row=2)
    job = ImportJob.objects.get()
    assert job.state == ImportJobState.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, column("phone"))]
    assert job.errors[0]["message"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "import-errors" in page and column("phone") in page and "<td>4</td>" in page
    assert reverse("importexport:job_confirm", args=[job.pk]) not in page

    client.post(reverse("importexport:job_confirm", args=[job.pk]))
    assert ImportJob.objects.count() == 1
    assert ComplaintChannel.objects.count() == 0


def test_import_long_job_reports_progress_while_running_and_results(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks, monkeypatch):
    seen = []

    class Watching(ComplaintChannelResource):
        def after_import_row(self, row, row_result, **kwargs):
            super().after_import_row(row, row_result, **kwargs)
            seen.append(services.job_progress(ImportJob.objects.get()))

    monkeypatch.setitem(registry._resources, KEY, Watching)
    login(client, host_organiser)
    response = upload(client, host_unit, django_capture_on_commit_callbacks, count=120)
    job = ImportJob.objects.get()
    # progress is published (in the shared cache) while the import's transaction is open
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)
    assert (job.state, job.processed_rows, job.total_rows) == (ImportJobState.DONE, 120, 120)
    page = client.get(response.url).content.decode()
    assert 'max="120"' in page and 'value="120"' in page and "hx-trigger" not in page


def test_import_status_partial_polls_until_finished(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks):
    login(client, host_organiser)
    # without running the on-commit callbacks the job stays pending, as behind a busy worker
    client.post(reverse("importexport:import_start", args=[KEY]),
                {"file": channels_csv(host_unit)})
    job = ImportJob.objects.get()
    status_url = reverse("importexport:job_status", args=[job.pk])
    pending = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{status_url}"' in pending and 'hx-trigger="every 1s"' in pending
    assert "<html" not in pending

    run_import.delay(job_id=job.pk)
    done = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "job_confirm" not in done
    assert reverse("importexport:job_confirm", args=[job.pk]) in done


def test_import_job_of_another_user_is_404_and_untouched(
        client, host_organiser, other_host_organiser, host_unit,
        django_capture_on_commit_callbacks):
    login(client, host_organiser)
    upload(client, host_unit, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    client.logout()
    login(client, other_host_organiser)
    for name in ("job_detail", "job_status"):
        assert client.get(reverse(f"importexport:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("importexport:job_confirm", args=[job.pk])).status_code == 404
    assert ImportJob.objects.count() == 1 and ComplaintChannel.objects.count() == 0
    listing = client.get(reverse("importexport:job_list")).content.decode()
    assert job.get_absolute_url() not in listing and "channels.csv" not in listing


@pytest.mark.parametrize("persona", ["stranger", "demand_owner", "challenger"])
def test_import_without_permission_is_404_and_imports_nothing(
        request, client, persona, host_unit, django_capture_on_commit_callbacks):
    login(client, request.getfixturevalue(persona))
    url = reverse("importexport:import_start", args=[KEY])
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"file": channels_csv(host_unit)}).status_code == 404
    assert ImportJob.objects.count() == 0 and ComplaintChannel.objects.count() == 0


def test_import_start_unknown_resource_is_404(client, torch_staff):
    login(client, torch_staff)
    assert client.get(reverse("importexport:import_start", args=["nope.nothing"])).status_code \
        == 404


def test_import_upload_over_cap_is_a_form_error_and_no_job(
        client, host_organiser, host_unit, settings):
    settings.IMPORT_MAX_BYTES = 50
    login(client, host_organiser)
    response = client.post(reverse("importexport:import_start", args=[KEY]),
                           {"file": channels_csv(host_unit, count=5)})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_import_job_file_lives_in_shared_storage(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks, settings):
    login(client, host_organiser)
    upload(client, host_unit, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    path = job.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert os.path.dirname(path) != tempfile.gettempdir()
    assert job.file.name.startswith(f"imports/{host_organiser.pk}/")


def test_import_job_lost_by_broker_is_resent_and_runs_once(
        host_organiser, host_unit, django_capture_on_commit_callbacks, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(run_import, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(user=host_organiser, resource_key=KEY,
                                    upload=channels_csv(host_unit), dry_run=False)
    job.refresh_from_db()
    assert job.state == ImportJobState.PENDING  # nothing lost, nothing raised
    monkeypatch.undo()

    assert services.requeue_stale_jobs() == 0  # too fresh to be called lost
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at - services.PENDING_RESEND_AFTER * 2)
    assert services.requeue_stale_jobs() == 1
    assert services.run_job(job.pk) is None  # a duplicated message does nothing
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE
    assert ComplaintChannel.objects.count() == 2


def test_import_job_user_who_lost_access_fails_without_changes(
        host_organiser, host_unit, django_capture_on_commit_callbacks):
    job = services.start_import(user=host_organiser, resource_key=KEY,
                                upload=channels_csv(host_unit), dry_run=False)
    host_organiser.host_memberships.all().delete()
    run_import.delay(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED and job.errors[0]["row"] is None
    assert ComplaintChannel.objects.count() == 0


def test_import_list_links_to_import_and_export_for_permitted_resources(client, host_organiser):
    login(client, host_organiser)
    page = client.get(reverse("importexport:job_list")).content.decode()
    assert reverse("importexport:import_start", args=[KEY]) in page
    assert reverse("importexport:export", args=[KEY, "xlsx"]) in page


def test_import_list_for_stranger_offers_nothing(client, stranger):
    login(client, stranger)
    page = client.get(reverse("importexport:job_list")).content.decode()
    assert reverse("importexport:import_start", args=[KEY]) not in page


def test_workspace_dashboard_links_host_staff_to_imports(client, host_organiser):
    login(client, host_organiser)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("importexport:import_start", args=[KEY]) in page
    assert reverse("importexport:job_list") in page


def test_workspace_dashboard_has_no_import_section_for_stranger(client, stranger):
    login(client, stranger)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("importexport:job_list") not in page


def _pending_jobs(user, host_unit, count):
    for _ in range(count):
        services.start_import(user=user, resource_key=KEY, upload=channels_csv(host_unit))


@pytest.mark.parametrize("count", [1, 3])
def test_import_job_list_query_count_does_not_grow(
        client, host_organiser, host_unit, count, django_assert_num_queries):
    _pending_jobs(host_organiser, host_unit, count)
    login(client, host_organiser)
    client.get(reverse("importexport:job_list"))  # warm the session
    with django_assert_num_queries(3):
        response = client.get(reverse("importexport:job_list"))
    assert response.content.decode().count("channels.csv") == count
