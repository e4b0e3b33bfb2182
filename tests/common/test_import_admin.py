"""The admin's import/export on ScopedImportExportMixin: scoped rows, own permissions, the
dry-run file kept in the shared storage, the confirmed import run as an import job."""

import csv
import io
import os
import tempfile

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.importexport.enums import ImportJobState
from common.importexport.models import ImportJob
from common.importexport.storage import TMP_FOLDER, SharedTmpStorage, purge_stale_tmp_files
from contests.models import ComplaintChannel
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:contests_complaintchannel_import")
PROCESS_URL = reverse("admin:contests_complaintchannel_process_import")
EXPORT_URL = reverse("admin:contests_complaintchannel_export")
CHANGELIST_URL = reverse("admin:contests_complaintchannel_changelist")


def column(name):
    return str(ComplaintChannel._meta.get_field(name).verbose_name)


def channels_file(rows, encoding="utf-8", name="channels.csv"):
    header = ["ID", column("host_unit"), column("name"), column("phone")]
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding))


def login(client, user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": "test"}})
    client.force_login(user)
    return client


def dry_run(client, upload):
    return client.post(IMPORT_URL, {"resource": "0", "format": "0", "import_file": upload})


def test_admin_import_dry_run_keeps_file_in_shared_storage_not_tmp(
        client, host_organiser, host_unit, settings):
    login(client, host_organiser)
    response = dry_run(
        client, channels_file([["", host_unit.name, "西安市科技局", "029-86786000"]]))
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    name = confirm.initial["import_file_name"]
    storage = storages["default"]
    assert storage.exists(f"{TMP_FOLDER}/{name}")
    assert storage.path(f"{TMP_FOLDER}/{name}").startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), name))
    assert ComplaintChannel.objects.count() == 0


def test_admin_import_confirm_runs_an_import_job(
        client, host_organiser, host_unit, django_capture_on_commit_callbacks):
    login(client, host_organiser)
    response = dry_run(client, channels_file([
        ["", host_unit.name, "西安市科技局", "029-86786000"],
        ["", host_unit.slug, "高新区管委会", "029-88888888"],
    ]))
    initial = response.context["confirm_form"].initial
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(PROCESS_URL, {key: initial[key] for key in (
            "import_file_name", "original_file_name", "format", "resource")})
    job = ImportJob.objects.get()
    assert confirmed.status_code == 302 and confirmed.url == job.get_absolute_url()
    assert (job.dry_run, job.state, job.user) == (False, ImportJobState.DONE, host_organiser)
    assert ComplaintChannel.objects.filter(host_unit=host_unit).count() == 2
    assert not storages["default"].exists(f"{TMP_FOLDER}/{initial['import_file_name']}")


def test_admin_import_confirm_of_vanished_file_says_so(client, host_organiser):
    login(client, host_organiser)
    response = client.post(PROCESS_URL, {"import_file_name": "0" * 32, "format": "0",
                                         "original_file_name": "x.csv", "resource": "0"})
    assert response.status_code == 302 and response.url == IMPORT_URL
    assert ImportJob.objects.count() == 0


def test_admin_import_other_units_rows_are_errors_without_confirm(
        client, host_organiser, other_host_unit):
    other = ComplaintChannel.objects.create(host_unit=other_host_unit, name="乙方",
                                            phone="010-66660000")
    login(client, host_organiser)
    response = dry_run(client, channels_file([
        [str(other.pk), other_host_unit.name, "改名", "029-86786000"]]))
    assert "confirm_form" not in response.context
    assert response.context["result"].has_validation_errors()
    other.refresh_from_db()
    assert (other.name, other.phone) == ("乙方", "010-66660000")


def test_admin_import_gbk_csv_is_read(client, host_organiser, host_unit):
    login(client, host_organiser)
    response = dry_run(client, channels_file(
        [["", host_unit.name, "西安市科技局投诉受理处", "029-86786000"]], encoding="gbk"))
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1
    assert "confirm_form" in response.context


def test_admin_import_over_byte_cap_is_refused_on_the_form(client, host_organiser, settings):
    settings.IMPORT_MAX_BYTES = 20
    login(client, host_organiser)
    response = dry_run(client, channels_file([["", "x", "y", "029-86786000"]]))
    assert response.context["form"].errors["import_file"]
    assert "confirm_form" not in response.context
    assert not storages["default"].exists(TMP_FOLDER) or not storages["default"].listdir(
        TMP_FOLDER)[1]


def test_admin_import_without_permission_is_refused(client, host_unit):
    staff_without_unit = UserFactory(roles=["host_organiser"])
    login(client, staff_without_unit)
    response = dry_run(client, channels_file([["", host_unit.name, "甲", "029-86786000"]]))
    assert response.status_code in (403, 404)
    assert ComplaintChannel.objects.count() == 0


def test_admin_changelist_offers_import_and_export_to_host_staff(client, host_organiser):
    login(client, host_organiser)
    page = client.get(CHANGELIST_URL).content.decode()
    assert IMPORT_URL in page and EXPORT_URL in page


def test_admin_export_is_scoped_and_neutralised(client, host_organiser, host_unit,
                                                other_host_unit):
    ComplaintChannel.objects.create(host_unit=host_unit, name="=HYPERLINK(\"http://x\")",
                                    phone="029-86786000")
    ComplaintChannel.objects.create(host_unit=other_host_unit, name="乙方机密受理处",
                                    phone="010-66660000")
    login(client, host_organiser)
    fields = ["id", "host_unit", "name", "phone", "email", "address", "position"]
    response = client.post(EXPORT_URL, {
        "resource": "0", "format": "0",
        **{f"complaintchannelresource_{field}": "on" for field in fields},
    })
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    names = [row[rows[0].index(column("name"))] for row in rows[1:]]
    assert names == ["'=HYPERLINK(\"http://x\")"]


def test_purge_removes_only_stale_previews(settings):
    import datetime

    storage = SharedTmpStorage()
    storage.save(b"a,b\n1,2\n")
    fresh = SharedTmpStorage()
    fresh.save(b"a,b\n3,4\n")
    old_path = storages["default"].path(f"{TMP_FOLDER}/{storage.name}")
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old_path, (two_days_ago, two_days_ago))
    assert purge_stale_tmp_files() == 1
    assert not storages["default"].exists(f"{TMP_FOLDER}/{storage.name}")
    assert storages["default"].exists(f"{TMP_FOLDER}/{fresh.name}")
