import pytest
from django.urls import reverse

from files.validators import MAX_EXPANSION
from solutions.enums import SolutionStatus
from solutions.models import Solution
from tests.factories.files import docx_bytes, pdf_bytes, upload
from tests.factories.solutions import SolutionFactory
from tests.solutions.support import challenger, organisation_of, owner_of, published_demand

pytestmark = pytest.mark.django_db


def _form(demand, **extra):
    indicator = demand.indicators.first()
    data = {"organisation": "", "title": "我的方案", "summary": "概述", "approach": "路线",
            "trl": "5", "ip_status": "filed", "patent_numbers": "ZL200310102344.5",
            "team_lead": "李教授", "cost": "80", "duration_months": "9",
            "cooperation_mode": demand.cooperation_modes[0],
            f"promise_{indicator.pk}": "≤2.8", f"verification_{indicator.pk}": "test_report"}
    data.update(extra)
    return data


def test_challenger_answers_and_submits_and_the_unanswered_indicator_shows(client):
    demand = published_demand()
    user = challenger(demand)
    client.force_login(user)
    data = _form(demand, organisation=organisation_of(user).pk, submit="1")
    response = client.post(reverse("solutions:create", args=[demand.ref]), data)
    solution = Solution.objects.get()
    assert response.status_code == 302 and solution.status == SolutionStatus.SUBMITTED
    page = client.get(solution.get_absolute_url()).content.decode()
    other = demand.indicators.exclude(pk=demand.indicators.first().pk).first()
    assert other.name in page and ("not answered" in page or "未作答" in page)


@pytest.mark.parametrize("name, content, message", [
    ("方案.pdf", b"MZ\x90\x00" + b"\x00" * 200, "type"),
    ("大文件.pdf", None, "large"),
    ("炸弹.docx", None, "expands"),
])
def test_bad_uploads_are_refused_and_the_form_keeps_what_was_typed(client, settings, name,
                                                                   content, message):
    settings.FILE_LIMITS = {**settings.FILE_LIMITS, "attachment": 20_000}
    if content is None and name.endswith(".pdf"):
        content = pdf_bytes() + b"%" + b"0" * 30_000
    elif content is None:
        content = docx_bytes(extra={"word/media/bomb.bin": b"\0" * (MAX_EXPANSION * 20_000 + 1)})
    demand = published_demand()
    user = challenger(demand)
    client.force_login(user)
    data = _form(demand, organisation=organisation_of(user).pk, title="保留我输入的标题")
    data["attachment"] = upload(name, content)
    response = client.post(reverse("solutions:create", args=[demand.ref]), data)
    assert response.status_code == 200
    assert not Solution.objects.exists()
    body = response.content.decode()
    assert "保留我输入的标题" in body
    errors = response.context["form"].errors["attachment"]
    assert errors


def test_wrong_patent_number_is_a_field_error(client):
    demand = published_demand()
    user = challenger(demand)
    client.force_login(user)
    data = _form(demand, organisation=organisation_of(user).pk, patent_numbers="ZL200310102344.6")
    response = client.post(reverse("solutions:create", args=[demand.ref]), data)
    assert response.status_code == 200 and "patent_numbers" in response.context["form"].errors


def test_a_stranger_challenger_gets_404_and_changes_nothing(client):
    solution = SolutionFactory(status="submitted")
    stranger = challenger(solution.demand)
    client.force_login(stranger)
    for name in ("detail", "edit"):
        assert client.get(reverse(f"solutions:{name}", args=[solution.pk])).status_code == 404
    assert client.get(reverse("solutions:version", args=[solution.pk, 1])).status_code == 404
    for name in ("withdraw", "submit", "decide"):
        response = client.post(reverse(f"solutions:{name}", args=[solution.pk]),
                               {"to_status": "shortlisted"})
        assert response.status_code == 404
    assert client.get(reverse("solutions:demand_list", args=[solution.demand.ref])
                      ).status_code == 404
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.SUBMITTED


def test_owner_list_and_comparison_query_counts(client, django_assert_max_num_queries):
    demand = published_demand()
    owner = owner_of(demand)
    solutions = [SolutionFactory(demand=demand, status="submitted") for _ in range(6)]
    client.force_login(owner)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("solutions:demand_list", args=[demand.ref]))
    assert response.status_code == 200
    assert all(s.title in response.content.decode() for s in solutions)
    query = "&".join(f"ids={s.pk}" for s in solutions[:4])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("solutions:compare", args=[demand.ref]) + "?" + query)
    assert response.status_code == 200
    assert len(response.context["columns"]) == 4
    # Every indicator row of every column: answered or marked not answered.
    assert all(len(answers) == demand.indicators.count() for _s, answers in
               response.context["columns"])


def test_workspace_query_count_does_not_grow(client, django_assert_max_num_queries):
    demand = published_demand()
    user = challenger(demand)
    organisation = organisation_of(user)
    for _ in range(5):
        SolutionFactory(organisation=organisation, status="submitted")
    client.force_login(user)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("solutions:mine"))
    assert response.status_code == 200
    with django_assert_max_num_queries(60):
        dashboard = client.get(reverse("accounts:dashboard"))
    assert "my-solutions" in dashboard.content.decode()


def test_export_is_xlsx_and_formula_safe(client):
    import io

    from openpyxl import load_workbook

    demand = published_demand()
    owner = owner_of(demand)
    SolutionFactory(demand=demand, status="submitted", title="=HYPERLINK(\"x\")")
    client.force_login(owner)
    response = client.get(reverse("solutions:export", args=[demand.ref]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"x\")" in values
