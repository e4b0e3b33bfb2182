"""The standard-format import of demands (demands.importing.resources.DemandResource): what
a good file creates, every kind of row error (nothing saved, others' data untouched), encodings,
formula text, updates of returned demands, and a fixed number of queries whatever the number of
rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Organisation
from audit.models import ActivityLog
from common.importexport.formats import read_dataset
from demands.enums import CooperationMode, DemandStatus, HideableField, IPOwnership, OutcomeForm
from demands.importing.format import (
    COL_COOPERATION_MODES,
    COL_CREDIT_CODE,
    COL_DEADLINE,
    COL_HIDDEN_PASSAGES,
    COL_HOST_UNIT,
    COL_INDICATORS,
    COL_KEY_PROBLEM,
    COL_KEYWORDS,
    COL_ORGANISATION,
    COL_ORGANISATION_KIND,
    COL_REF,
    COL_TITLE,
)
from demands.models import Demand, DemandTransition, Indicator
from tests.demands.import_support import (
    STANDARD_HEADERS,
    csv_bytes,
    demand_row,
    run_import,
    xlsx_bytes,
)
from tests.factories.accounts import OrganisationFactory, credit_code
from tests.factories.contests import HostMembershipFactory, HostUnitFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def line_of(data, index):
    """The row the import reports for the index-th record of ``data`` (its line in the file;
    a record with a multi-line cell spans several lines of a CSV file)."""
    return read_dataset(data).line_numbers[index]


def _columns(errors):
    return {error["column"] for error in errors}


def _nothing_saved(organisations_before=0):
    assert Demand.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert DemandTransition.objects.count() == 0
    assert Organisation.objects.count() == organisations_before


# --- a good file ------------------------------------------------------------------------------
@pytest.mark.parametrize("make_file", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_import_good_file_creates_submitted_demands_with_all_fields(
    make_file, host_organiser, host_unit
):
    rows = [demand_row(host_unit, n) for n in range(3)]
    rows[2][COL_COOPERATION_MODES] = "委托开发,技术咨询"  # a Latin comma works too

    result, errors = run_import(host_organiser, make_file(rows))

    assert errors == []
    assert result.totals["new"] == 3
    demands = list(Demand.objects.order_by("sequence"))
    assert [d.ref for d in demands] == [
        f"6-{host_unit.event.number:02d}-0001",
        f"6-{host_unit.event.number:02d}-0002",
        f"6-{host_unit.event.number:02d}-0003",
    ]
    first = demands[0]
    assert (first.status, first.host_unit, first.created_by, first.entered_by_host) == (
        DemandStatus.SUBMITTED,
        host_unit,
        host_organiser,
        True,
    )
    assert first.submitted_at is not None
    assert first.title == "高功率激光器散热模组研制0"
    assert first.organisation.name == "西安光电科技有限公司0"
    assert first.organisation.credit_code == credit_code(700000)
    assert first.organisation.kind == "enterprise"
    assert first.keywords == ["激光器", "散热", "微通道"]
    assert first.cooperation_modes == [CooperationMode.JOINT, CooperationMode.TRANSFER]
    assert demands[2].cooperation_modes == [
        CooperationMode.COMMISSIONED,
        CooperationMode.CONSULTING,
    ]
    assert first.outcome_forms == [OutcomeForm.PROTOTYPE, OutcomeForm.PATENT]
    assert first.hidden_fields == [HideableField.ORGANISATION, HideableField.CONTACT_PERSON]
    assert first.ip_ownership == IPOwnership.SHARED
    assert (first.budget, first.prize) == (Decimal("300"), Decimal("10"))
    assert first.solution_deadline == datetime.date(2099, 12, 31)
    assert (first.region, first.contact_mobile, first.contact_email) == (
        "610100",
        "13912345678",
        "li0@example.cn",
    )
    assert [
        (i.position, i.name, i.target_value, i.unit, i.current_value)
        for i in first.indicators.all()
    ] == [(0, "热阻", "≤0.05", "K/W", "0.12"), (1, "连续工作时长", "≥1000", "h", "300")]
    transitions = list(first.transitions.values_list("from_state", "to_state", "actor"))
    assert transitions == [(DemandStatus.DRAFT, DemandStatus.SUBMITTED, host_organiser.pk)]


def test_import_matches_existing_organisation_by_credit_code(host_organiser, host_unit):
    existing = OrganisationFactory(credit_code=credit_code(700000), name="已注册的公司")
    rows = [demand_row(host_unit, 0), demand_row(host_unit, 0, **{COL_TITLE: "第二个需求"})]

    _result, errors = run_import(host_organiser, csv_bytes(rows))

    assert errors == []
    assert Organisation.objects.count() == 1
    assert set(Demand.objects.values_list("organisation", flat=True)) == {existing.pk}


def test_import_creates_one_organisation_for_a_new_code_on_several_rows(host_organiser, host_unit):
    rows = [demand_row(host_unit, 5, **{COL_TITLE: f"需求{n}"}) for n in range(3)]

    run_import(host_organiser, csv_bytes(rows))

    assert Organisation.objects.get().credit_code == credit_code(700005)
    assert Demand.objects.filter(organisation__credit_code=credit_code(700005)).count() == 3


def test_import_numbers_after_existing_demands_of_the_event(host_organiser, host_unit):
    DemandFactory(host_unit=host_unit, sequence=41, ref=f"6-{host_unit.event.number:02d}-0041")

    run_import(host_organiser, csv_bytes([demand_row(host_unit)]))

    assert Demand.objects.latest("pk").ref == f"6-{host_unit.event.number:02d}-0042"


def test_import_and_the_demand_services_share_the_numbering(host_organiser, host_unit):
    from demands import services

    run_import(host_organiser, csv_bytes([demand_row(host_unit, n) for n in range(2)]))
    entered = services.create_demand(
        actor=host_organiser,
        organisation=Organisation.objects.first(),
        host_unit=host_unit,
        fields={"title": "页面录入的需求"},
        entered_by_host=True,
    )
    run_import(host_organiser, csv_bytes([demand_row(host_unit, 9)]))

    number = host_unit.event.number
    assert entered.ref == f"6-{number:02d}-0003"
    assert Demand.objects.latest("pk").ref == f"6-{number:02d}-0004"


def test_import_writes_one_audit_entry(host_organiser, host_unit):
    run_import(host_organiser, csv_bytes([demand_row(host_unit, n) for n in range(2)]))

    entry = ActivityLog.objects.get(action="portal.demand.import")
    assert entry.actor == host_organiser
    assert entry.data["created"] == 2
    assert entry.data["organisations_created"] == 2


def test_import_dry_run_saves_nothing(host_organiser, host_unit):
    result, errors = run_import(host_organiser, csv_bytes([demand_row(host_unit)]), dry_run=True)

    assert errors == [] and result.totals["new"] == 1
    _nothing_saved()


def test_import_by_torch_staff_may_use_any_host_unit(torch_staff, host_unit, other_host_unit):
    rows = [demand_row(host_unit, 0), demand_row(other_host_unit, 1)]

    _result, errors = run_import(torch_staff, csv_bytes(rows))

    assert errors == []
    assert set(Demand.objects.values_list("host_unit", flat=True)) == {
        host_unit.pk,
        other_host_unit.pk,
    }


def test_import_host_unit_may_be_given_by_slug(host_organiser, host_unit):
    run_import(
        host_organiser, csv_bytes([demand_row(host_unit, **{COL_HOST_UNIT: host_unit.slug})])
    )

    assert Demand.objects.get().host_unit == host_unit


def test_import_without_the_ref_column_creates_demands(host_organiser, host_unit):
    row = demand_row(host_unit)
    headers = [header for header in row if header != COL_REF]

    _result, errors = run_import(host_organiser, csv_bytes([row], headers=headers))

    assert errors == [] and Demand.objects.count() == 1


def test_import_accepts_header_variants(host_organiser, host_unit):
    row = demand_row(host_unit)
    row["预期投入(万元)"] = row.pop("预期投入（万元）")
    headers = [
        header.replace("（万元）", "(万元)") if header.startswith("预期投入") else header
        for header in STANDARD_HEADERS
    ]

    _result, errors = run_import(host_organiser, csv_bytes([row], headers=headers))

    assert errors == [] and Demand.objects.get().budget == Decimal("300")


def test_import_tolerates_required_marks_in_headers(host_organiser, host_unit):
    row = demand_row(host_unit)
    marked = {
        COL_TITLE: "*需求名称",
        COL_KEY_PROBLEM: "拟解决的关键技术问题（必填）",
        "座机": "座机(选填)",
    }
    headers = [marked.get(header, header) for header in STANDARD_HEADERS]
    row = {marked.get(key, key): value for key, value in row.items()}

    _result, errors = run_import(host_organiser, csv_bytes([row], headers=headers))

    assert errors == []
    assert Demand.objects.get().contact_landline == "029-88886666"


# --- encodings and formula text ---------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_import_csv_in_gbk_and_utf8_with_bom(encoding, host_organiser, host_unit):
    data = csv_bytes([demand_row(host_unit)], encoding=encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")

    _result, errors = run_import(host_organiser, data)

    assert errors == []
    demand = Demand.objects.get()
    assert (demand.title, demand.organisation.name) == (
        "高功率激光器散热模组研制0",
        "西安光电科技有限公司0",
    )


@pytest.mark.parametrize("make_file", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_import_keeps_formula_like_cells_as_text(make_file, host_organiser, host_unit):
    row = demand_row(
        host_unit,
        **{
            COL_TITLE: '=HYPERLINK("http://evil.example","点击")',
            COL_KEY_PROBLEM: "+1+2 需要解决的问题",
            "现有基础": "-2+3 现有基础",
            "揭榜方条件": "@SUM(A1:A2)",
        },
    )

    _result, errors = run_import(host_organiser, make_file([row]))

    assert errors == []
    demand = Demand.objects.get()
    assert demand.title == '=HYPERLINK("http://evil.example","点击")'
    assert demand.key_problem == "+1+2 需要解决的问题"
    assert demand.current_base == "-2+3 现有基础"
    assert demand.challenger_conditions == "@SUM(A1:A2)"


# --- row errors: nothing saved ----------------------------------------------------------------
def test_import_bad_credit_code_is_a_row_error_naming_the_column(host_organiser, host_unit):
    rows = [
        demand_row(host_unit, 0),
        demand_row(host_unit, 1, **{COL_CREDIT_CODE: "91110000600037341N"}),
    ]

    _result, errors = run_import(host_organiser, xlsx_bytes(rows))

    assert [(e["row"], e["column"]) for e in errors] == [(3, COL_CREDIT_CODE)]
    assert "check character" in errors[0]["message"]
    _nothing_saved()


def test_import_credit_code_with_forbidden_letters_is_refused(host_organiser, host_unit):
    rows = [demand_row(host_unit, 0, **{COL_CREDIT_CODE: "9111000060003IOZSV"})]

    _result, errors = run_import(host_organiser, csv_bytes(rows))

    assert [(e["row"], e["column"]) for e in errors] == [(2, COL_CREDIT_CODE)]
    _nothing_saved()


def test_import_unknown_cooperation_mode_lists_the_allowed_values(host_organiser, host_unit):
    rows = [demand_row(host_unit, 0, **{COL_COOPERATION_MODES: "合作开发、合资经营"})]

    _result, errors = run_import(host_organiser, csv_bytes(rows))

    assert len(errors) == 1
    error = errors[0]
    assert (error["row"], error["column"]) == (2, COL_COOPERATION_MODES)
    assert "合资经营" in error["message"]
    assert "委托开发、合作开发、技术转让、技术许可、技术咨询、技术服务" in error["message"]
    _nothing_saved()


def test_import_other_hosts_unit_is_a_row_error_and_touches_nothing(
    host_organiser, host_unit, other_host_unit
):
    theirs = DemandFactory(
        host_unit=other_host_unit, status=DemandStatus.SUBMITTED, title="他们的需求"
    )
    before = Demand.objects.filter(pk=theirs.pk).values().get()
    rows = [demand_row(host_unit, 0), demand_row(other_host_unit, 1)]

    _result, errors = run_import(host_organiser, xlsx_bytes(rows))

    assert [(e["row"], e["column"]) for e in errors] == [(3, COL_HOST_UNIT)]
    assert other_host_unit.name in errors[0]["message"]
    assert list(Demand.objects.all()) == [theirs]
    assert Demand.objects.filter(pk=theirs.pk).values().get() == before
    assert Organisation.objects.count() == 1  # theirs only


def test_import_other_hosts_demand_number_is_a_row_error_and_touches_nothing(
    host_organiser, host_unit, other_host_unit
):
    theirs = DemandFactory(
        host_unit=other_host_unit,
        status=DemandStatus.RETURNED,
        entered_by_host=True,
        title="他们的需求",
    )
    before = Demand.objects.filter(pk=theirs.pk).values().get()
    row = demand_row(host_unit, 0, **{COL_REF: theirs.ref, COL_TITLE: "改掉别人的需求"})

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert [(e["row"], e["column"]) for e in errors] == [(2, COL_REF)]
    assert Demand.objects.filter(pk=theirs.pk).values().get() == before
    assert Demand.objects.count() == 1


def test_import_host_unit_of_a_past_edition_is_refused(host_organiser, host_unit):
    from tests.factories.contests import ContestFactory, EventFactory

    old = HostUnitFactory(event=EventFactory(contest=ContestFactory(edition=5, is_current=False)))
    HostMembershipFactory(user=host_organiser, host_unit=old)
    host_organiser.__dict__.pop("_host_unit_ids", None)

    _result, errors = run_import(host_organiser, csv_bytes([demand_row(old)]))

    assert _columns(errors) == {COL_HOST_UNIT}
    assert Demand.objects.count() == 0


def test_import_incomplete_row_lists_every_missing_part(host_organiser, host_unit):
    row = demand_row(
        host_unit,
        **{
            COL_KEYWORDS: "",
            COL_INDICATORS: "",
            COL_KEY_PROBLEM: "",
            "手机": "12345",
            "电子邮箱": "不是邮箱",
        },
    )

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {COL_KEYWORDS, COL_INDICATORS, COL_KEY_PROBLEM, "手机", "电子邮箱"}
    _nothing_saved()


def test_import_bad_cells_are_row_errors_not_crashes(host_organiser, host_unit):
    row = demand_row(
        host_unit,
        **{
            "预期投入（万元）": "两百",
            COL_DEADLINE: "明年",
            "所在地区": "61010",
            COL_INDICATORS: "只有指标名",
            "需求类型": "技术开发",
            "座机": "call me",
            COL_KEYWORDS: "一、二、三、四、五、六",
        },
    )

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {
        "预期投入（万元）",
        COL_DEADLINE,
        "所在地区",
        COL_INDICATORS,
        "需求类型",
        "座机",
        COL_KEYWORDS,
    }
    assert "技术研发" in next(e["message"] for e in errors if e["column"] == "需求类型")
    _nothing_saved()


def test_import_deadline_in_the_past_is_refused(host_organiser, host_unit):
    row = demand_row(host_unit, **{COL_DEADLINE: "2020-01-01"})

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert [(e["column"], e["message"]) for e in errors] == [
        (COL_DEADLINE, "The deadline has already passed.")
    ]


def test_import_new_organisation_needs_name_and_kind(host_organiser, host_unit):
    row = demand_row(host_unit, **{COL_ORGANISATION: "", COL_ORGANISATION_KIND: ""})

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {COL_ORGANISATION, COL_ORGANISATION_KIND}
    _nothing_saved()


def test_import_hidden_passage_must_occur_in_the_text(host_organiser, host_unit):
    row = demand_row(host_unit, **{COL_HIDDEN_PASSAGES: "微通道散热结构\n不存在的段落"})

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {COL_HIDDEN_PASSAGES}
    assert "不存在的段落" in errors[0]["message"]


def test_import_missing_required_column_is_a_file_error(host_organiser, host_unit):
    row = demand_row(host_unit)
    headers = [header for header in row if header != COL_KEY_PROBLEM]

    _result, errors = run_import(host_organiser, csv_bytes([row], headers=headers))

    assert len(errors) == 1 and errors[0]["row"] is None
    assert COL_KEY_PROBLEM in errors[0]["message"]
    _nothing_saved()


def test_import_without_host_units_saves_nothing(stranger, host_unit):
    _result, errors = run_import(stranger, csv_bytes([demand_row(host_unit)]))

    assert _columns(errors) == {COL_HOST_UNIT}
    _nothing_saved()


def test_import_5000_rows_with_one_bad_row_at_the_end_saves_nothing(
    host_organiser, host_unit, settings
):
    settings.IMPORT_MAX_BYTES = 50 * 1024 * 1024
    rows = [demand_row(host_unit, n % 40) for n in range(5000)]
    rows[-1][COL_COOPERATION_MODES] = "合资经营"

    data = csv_bytes(rows)

    result, errors = run_import(host_organiser, data)

    assert result.total_rows == 5000
    assert [(e["row"], e["column"]) for e in errors] == [
        (line_of(data, 4999), COL_COOPERATION_MODES)
    ]
    _nothing_saved()


# --- updates ----------------------------------------------------------------------------------
def test_import_updates_a_returned_demand_entered_by_host_and_submits_it_again(
    host_organiser, host_unit
):
    organisation = OrganisationFactory(credit_code=credit_code(700000))
    demand = DemandFactory(
        host_unit=host_unit,
        organisation=organisation,
        status=DemandStatus.RETURNED,
        entered_by_host=True,
        public_wording={"title": "旧的公开标题", "key_problem": "公开问题"},
        indicators=[("a", "1", "", ""), ("b", "2", "", ""), ("c", "3", "", "")],
    )
    kept = demand.indicators.order_by("position").first().pk
    row = demand_row(
        host_unit,
        0,
        **{COL_REF: demand.ref, COL_TITLE: "改过的标题", COL_INDICATORS: "新指标|≥5|%"},
    )

    result, errors = run_import(host_organiser, csv_bytes([row]))

    assert errors == [] and result.totals["update"] == 1
    demand.refresh_from_db()
    assert (demand.title, demand.status) == ("改过的标题", DemandStatus.SUBMITTED)
    assert demand.public_wording == {}  # both texts were rewritten
    assert [(i.pk, i.name, i.target_value, i.unit) for i in demand.indicators.all()] == [
        (kept, "新指标", "≥5", "%")
    ]
    assert list(demand.transitions.values_list("from_state", "to_state")) == [
        (DemandStatus.RETURNED, DemandStatus.SUBMITTED)
    ]
    assert Demand.objects.count() == 1


def test_import_refuses_to_update_a_submitted_demand(host_organiser, host_unit):
    organisation = OrganisationFactory(credit_code=credit_code(700000))
    demand = DemandFactory(
        host_unit=host_unit,
        organisation=organisation,
        status=DemandStatus.SUBMITTED,
        entered_by_host=True,
    )
    before = Demand.objects.filter(pk=demand.pk).values().get()
    row = demand_row(host_unit, 0, **{COL_REF: demand.ref, COL_TITLE: "改过的标题"})

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {COL_REF}
    assert Demand.objects.filter(pk=demand.pk).values().get() == before


def test_import_refuses_to_move_a_demand_to_another_organisation(host_organiser, host_unit):
    demand = DemandFactory(host_unit=host_unit, status=DemandStatus.RETURNED, entered_by_host=True)
    row = demand_row(host_unit, 3, **{COL_REF: demand.ref})

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {COL_CREDIT_CODE}
    assert Demand.objects.get().organisation == demand.organisation


def test_import_same_number_twice_is_a_row_error(host_organiser, host_unit):
    organisation = OrganisationFactory(credit_code=credit_code(700000))
    demand = DemandFactory(
        host_unit=host_unit,
        organisation=organisation,
        status=DemandStatus.RETURNED,
        entered_by_host=True,
    )
    rows = [demand_row(host_unit, 0, **{COL_REF: demand.ref}) for _ in range(2)]

    _result, errors = run_import(host_organiser, xlsx_bytes(rows))

    assert [(e["row"], e["column"]) for e in errors] == [(3, COL_REF)]


def test_import_never_updates_a_companys_unsubmitted_draft(host_organiser, host_unit):
    draft = DemandFactory(host_unit=host_unit, status=DemandStatus.DRAFT, entered_by_host=False)
    row = demand_row(
        host_unit,
        **{
            COL_REF: draft.ref,
            COL_ORGANISATION: draft.organisation.name,
            COL_CREDIT_CODE: draft.organisation.credit_code,
        },
    )

    _result, errors = run_import(host_organiser, csv_bytes([row]))

    assert _columns(errors) == {COL_REF}
    assert Demand.objects.get().status == DemandStatus.DRAFT


# --- cost -------------------------------------------------------------------------------------
def _queries_for(user, rows, *, dry_run):
    user = type(user).objects.get(pk=user.pk)  # nothing cached on the instance
    with CaptureQueriesContext(connection) as context:
        _result, errors = run_import(user, csv_bytes(rows), dry_run=dry_run)
    assert errors == []
    return len(context.captured_queries)


def test_import_reads_without_a_query_per_row(host_organiser, host_unit):
    _queries_for(host_organiser, [demand_row(host_unit, 0)], dry_run=True)  # warm caches

    one = _queries_for(host_organiser, [demand_row(host_unit, 0)], dry_run=True)
    many = _queries_for(host_organiser, [demand_row(host_unit, n) for n in range(25)], dry_run=True)

    assert many == one


def test_import_writes_in_a_fixed_number_of_statements_per_batch(host_organiser, host_unit):
    _queries_for(host_organiser, [demand_row(host_unit, 0)], dry_run=True)  # warm caches

    one = _queries_for(host_organiser, [demand_row(host_unit, 0)], dry_run=False)
    three = _queries_for(
        host_organiser, [demand_row(host_unit, n + 1) for n in range(3)], dry_run=False
    )

    assert three == one
