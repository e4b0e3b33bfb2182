"""HostScopedResource on its first real user, complaint channels: rows stay inside the
importing organiser's host units, and any bad row rolls the whole file back."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from import_export.fields import Field
from import_export.widgets import IntegerWidget

from audit.models import ActivityLog
from common.importexport.formats import read_dataset
from common.importexport.resources import ScopedForeignKeyWidget, ScopedManyToManyWidget
from contests.importing import HostScopedResource
from contests.models import ComplaintChannel, HostUnit, IndustryField
from contests.resources import ComplaintChannelResource

pytestmark = pytest.mark.django_db


def column(name):
    return str(ComplaintChannel._meta.get_field(name).verbose_name)


HEADER = ["ID", "host_unit", "name", "phone", "email", "address", "position"]


def csv_file(rows, header=HEADER):
    header = [h if h == "ID" else column(h) for h in header]
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return SimpleUploadedFile("channels.csv", ("\n".join(lines) + "\n").encode("utf-8"))


def run_import(user, rows, dry_run=False, header=HEADER):
    resource = ComplaintChannelResource(user=user)
    dataset = read_dataset(csv_file(rows, header))
    result = resource.import_data(dataset, dry_run=dry_run)
    return result, resource.row_errors(result, dataset)


@pytest.fixture
def other_channel(other_host_unit):
    return ComplaintChannel.objects.create(
        host_unit=other_host_unit, name="乙方受理处", phone="010-66660000", position=1)


def snapshot(channel):
    channel.refresh_from_db()
    return (channel.host_unit_id, channel.name, channel.phone, channel.email, channel.position)


def test_import_own_unit_rows_creates_channels(host_organiser, host_unit):
    result, errors = run_import(host_organiser, [
        ["", host_unit.name, "西安市科技局", "029-86786000", "ts@xa.gov.cn", "", 1],
        ["", host_unit.slug, "西安高新区管委会", "029-88888888", "", "高新路1号", 2],
    ])
    assert errors == []
    assert result.totals["new"] == 2
    assert list(ComplaintChannel.objects.filter(host_unit=host_unit).order_by("position")
                .values_list("name", "phone")) == [
        ("西安市科技局", "029-86786000"), ("西安高新区管委会", "029-88888888")]


def test_import_goes_through_the_service_and_is_audited(host_organiser, host_unit):
    run_import(host_organiser, [["", host_unit.name, "西安市科技局", "029-86786000", "", "", 1]])
    channel = ComplaintChannel.objects.get(host_unit=host_unit)
    assert ActivityLog.objects.filter(
        action="portal.complaint_channel.save", object_id=str(channel.pk)).count() == 1


def test_import_other_units_name_is_row_error_and_nothing_changes(
        host_organiser, host_unit, other_host_unit, other_channel):
    before = snapshot(other_channel)
    with translation.override("en"):
        result, errors = run_import(host_organiser, [
            ["", host_unit.name, "西安市科技局", "029-86786000", "", "", 1],
            ["", other_host_unit.name, "冒名受理处", "010-12345678", "", "", 2],
        ])
        assert errors == [{"row": 3, "column": column("host_unit"),
                           "message": f"“{other_host_unit.name}” is not one of your host units."}]
    assert ComplaintChannel.objects.count() == 1
    assert snapshot(other_channel) == before


def test_import_other_units_id_is_row_error_not_update_nor_copy(
        host_organiser, host_unit, other_channel):
    before = snapshot(other_channel)
    with translation.override("en"):
        result, errors = run_import(host_organiser, [
            [other_channel.pk, host_unit.name, "改名", "029-86786000", "", "", 1],
        ])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "ID")]
    assert "no record with this ID" in errors[0]["message"]
    assert snapshot(other_channel) == before
    assert ComplaintChannel.objects.count() == 1


def test_import_other_units_id_and_name_together_changes_nothing(
        host_organiser, other_host_unit, other_channel):
    before = snapshot(other_channel)
    _result, errors = run_import(host_organiser, [
        [other_channel.pk, other_host_unit.slug, "改名", "029-86786000", "", "", 1],
    ])
    assert errors and all(e["row"] == 2 for e in errors)
    assert snapshot(other_channel) == before


def test_import_unknown_id_is_row_error_not_a_new_object_with_that_id(host_organiser, host_unit):
    _result, errors = run_import(host_organiser, [
        [987654, host_unit.name, "西安市科技局", "029-86786000", "", "", 1],
    ])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "ID")]
    assert not ComplaintChannel.objects.filter(pk=987654).exists()


def test_import_own_id_updates_the_channel(host_organiser, host_unit):
    channel = ComplaintChannel.objects.create(host_unit=host_unit, name="旧名", phone="029-1234567")
    result, errors = run_import(host_organiser, [
        [channel.pk, host_unit.name, "新名", "029-7654321", "", "", 3],
    ])
    assert errors == []
    assert result.totals["update"] == 1
    channel.refresh_from_db()
    assert (channel.name, channel.phone, channel.position) == ("新名", "029-7654321", 3)


def test_import_bad_row_in_middle_rolls_back_all_rows(host_organiser, host_unit, other_channel):
    existing = ComplaintChannel.objects.create(
        host_unit=host_unit, name="原有", phone="029-1111111")
    count = ComplaintChannel.objects.count()
    result, errors = run_import(host_organiser, [
        ["", host_unit.name, "第一", "029-86786000", "", "", 1],
        [existing.pk, host_unit.name, "改过的原有", "029-2222222", "", "", 2],
        ["", host_unit.name, "第三", "不是电话", "not-an-email", "", 3],
        ["", host_unit.name, "第四", "029-86786001", "", "", 4],
    ])
    assert ComplaintChannel.objects.count() == count
    assert snapshot(existing)[1:3] == ("原有", "029-1111111")
    assert sorted((e["row"], e["column"]) for e in errors) == [
        (4, column("email")), (4, column("phone"))]
    assert (result.totals["new"], result.totals["update"], result.totals["invalid"]) == (2, 1, 1)


def test_import_dry_run_reports_and_saves_nothing(host_organiser, host_unit):
    result, errors = run_import(host_organiser, [
        ["", host_unit.name, "西安市科技局", "029-86786000", "", "", 1]], dry_run=True)
    assert errors == [] and result.totals["new"] == 1
    assert ComplaintChannel.objects.count() == 0


def test_import_missing_required_column_is_a_file_error(host_organiser, host_unit):
    _result, errors = run_import(
        host_organiser, [["", host_unit.name, "西安市科技局"]], header=["ID", "host_unit", "name"])
    assert len(errors) == 1
    assert errors[0]["row"] is None and column("phone") in errors[0]["message"]
    assert ComplaintChannel.objects.count() == 0


def test_import_blank_host_unit_is_row_error(host_organiser):
    _result, errors = run_import(
        host_organiser, [["", "", "西安市科技局", "029-86786000", "", "", 1]])
    assert [(e["row"], e["column"]) for e in errors] == [(2, column("host_unit"))]
    assert ComplaintChannel.objects.count() == 0


def test_import_headers_in_english_work_under_chinese_interface(host_organiser, host_unit):
    with translation.override("en"):
        data = csv_file([["", host_unit.name, "西安市科技局", "029-86786000", "", "", 1]])
    with translation.override("zh-hans"):
        resource = ComplaintChannelResource(user=host_organiser)
        dataset = read_dataset(data)
        result = resource.import_data(dataset)
        assert resource.row_errors(result, dataset) == []
    assert ComplaintChannel.objects.count() == 1


def test_import_torch_staff_may_import_for_any_unit(torch_staff, host_unit, other_host_unit):
    _result, errors = run_import(torch_staff, [
        ["", host_unit.name, "甲", "029-86786000", "", "", 1],
        ["", other_host_unit.name, "乙", "010-86786000", "", "", 1],
    ])
    assert errors == []
    assert ComplaintChannel.objects.count() == 2


def test_import_stranger_has_no_scope_so_every_row_fails(stranger, host_unit):
    _result, errors = run_import(stranger, [["", host_unit.name, "甲", "029-86786000", "", "", 1]])
    assert [(e["row"], e["column"]) for e in errors] == [(2, column("host_unit"))]
    assert ComplaintChannel.objects.count() == 0


def test_scoped_queryset_holds_only_own_units_rows(host_organiser, host_unit, other_channel):
    own = ComplaintChannel.objects.create(host_unit=host_unit, name="甲", phone="029-1234567")
    assert list(ComplaintChannelResource(user=host_organiser).get_queryset()) == [own]


def test_scoped_foreign_key_widget_same_error_for_foreign_and_missing(
        host_organiser, host_unit, other_host_unit):
    widget = ScopedForeignKeyWidget(HostUnit, "slug", scope=lambda resource: resource.host_units)
    widget.bind(ComplaintChannelResource(user=host_organiser))
    assert widget.clean(host_unit.slug) == host_unit
    with pytest.raises(ValueError) as foreign:
        widget.clean(other_host_unit.slug)
    with pytest.raises(ValueError) as missing:
        widget.clean("no-such-slug")
    assert str(foreign.value).replace(other_host_unit.slug, "X") == str(missing.value).replace(
        "no-such-slug", "X")


# --- a resource on HostUnit itself (host_unit_path "pk") with a scoped many-to-many ----------
class HostUnitFieldsResource(HostScopedResource):
    """Test-only: host staff set their units' introduction and industry fields by code."""

    id = Field(attribute="id", column_name="ID", widget=IntegerWidget())
    introduction = Field(attribute="introduction", column_name="introduction")
    fields = Field(attribute="fields", column_name="fields", widget=ScopedManyToManyWidget(
        IndustryField, field="code",
        scope=lambda resource: IndustryField.objects.filter(code__startswith="ok-")))

    host_unit_path = "pk"

    class Meta:
        model = HostUnit
        fields = ["id", "introduction", "fields"]
        import_id_fields = ["id"]


def run_units(user, rows):
    header = "ID,introduction,fields\n"
    data = (header + "".join(f'{a},{b},"{c}"\n' for a, b, c in rows)).encode()
    resource = HostUnitFieldsResource(user=user)
    dataset = read_dataset(data)
    result = resource.import_data(dataset)
    return resource.row_errors(result, dataset)


def test_import_host_unit_itself_with_scoped_many_to_many(host_organiser, host_unit):
    IndustryField.objects.create(code="ok-ai", name="人工智能")
    IndustryField.objects.create(code="ok-bio", name="生物医药")
    assert run_units(host_organiser, [(host_unit.pk, "新的简介", "ok-ai，ok-bio")]) == []
    host_unit.refresh_from_db()
    assert host_unit.introduction == "新的简介"
    assert sorted(host_unit.fields.values_list("code", flat=True)) == ["ok-ai", "ok-bio"]


def test_import_many_to_many_value_outside_scope_is_row_error(host_organiser, host_unit):
    IndustryField.objects.create(code="ok-ai", name="人工智能")
    IndustryField.objects.create(code="secret", name="不可选")
    before = set(host_unit.fields.values_list("pk", flat=True))
    errors = run_units(host_organiser, [(host_unit.pk, "新的简介", "ok-ai,secret,nothing")])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "fields")]
    assert "secret" in errors[0]["message"] and "nothing" in errors[0]["message"]
    host_unit.refresh_from_db()
    assert host_unit.introduction == "" and set(
        host_unit.fields.values_list("pk", flat=True)) == before


def test_import_other_host_unit_by_id_is_row_error(host_organiser, other_host_unit):
    errors = run_units(host_organiser, [(other_host_unit.pk, "篡改", "")])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "ID")]
    other_host_unit.refresh_from_db()
    assert other_host_unit.introduction == ""


def test_import_cannot_create_host_units(host_organiser):
    count = HostUnit.objects.count()
    errors = run_units(host_organiser, [("", "新单位", "")])
    assert errors and errors[0]["row"] == 2
    assert HostUnit.objects.count() == count


def test_plain_many_to_many_widget_is_refused_in_a_scoped_resource(host_organiser):
    class Unsafe(HostScopedResource):
        host_unit_path = "pk"

        class Meta:
            model = HostUnit
            fields = ["id", "fields"]

    with pytest.raises(ImproperlyConfigured):
        Unsafe(user=host_organiser)
