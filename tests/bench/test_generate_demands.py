"""The demand generator of the benchmarks (``manage.py generate_demands``) at a tiny scale.
Timings are never asserted here; ``python -m bench`` measures them."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.credit_code import is_valid
from accounts.models import Organisation
from common.search import CJK_RUN
from contests import services as contest_services
from contests.models import HostUnit
from demands.enums import DemandStatus, HideableField
from demands.generators import (
    CODE_MARKER,
    generate,
    generated_demands,
    generated_organisations,
    reset_generated,
)
from demands.models import Demand
from demands.public import search
from demands.public.projection import (
    REDACTION_MARK,
    from_snapshot,
    public_demands,
    refresh_public_index,
)
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db

COUNT = 50


@pytest.fixture
def contest6(db):
    contest_services.load_contest_file()


@pytest.fixture
def generated(contest6):
    call_command("generate_demands", count=COUNT, seed=7, workers=0, verbosity=0)
    return list(generated_demands().select_related("organisation").order_by("pk"))


def public_texts(demand):
    title, body = from_snapshot(demand.public_snapshot).search_texts()
    return [text for text in (*title, *body) if text]


def test_generate_demands_creates_public_indexed_demands_on_every_host_unit(generated):
    assert len(generated) == COUNT
    assert {demand.status for demand in generated} <= {DemandStatus.PUBLISHED,
                                                        DemandStatus.CLOSED}
    assert all(demand.public_indexed_at and demand.search_bigrams for demand in generated)
    assert public_demands().count() == COUNT
    covered = HostUnit.objects.annotate(n=Count("demands")).filter(n__gt=0).count()
    assert covered == HostUnit.objects.count() == 33
    refs = [demand.ref for demand in generated]
    assert len(set(refs)) == COUNT


def test_generated_demands_have_indicators_keywords_and_chinese_text(generated):
    for demand in generated:
        assert 2 <= demand.indicators.count() <= 4
        assert 1 <= len(demand.keywords) <= 5
        assert CJK_RUN.search(demand.key_problem)
        assert demand.industry_field in demand.host_unit.fields.all()


def test_generated_organisations_have_valid_marked_credit_codes(generated):
    organisations = Organisation.objects.filter(demands__in=generated).distinct()
    assert organisations.count() >= 2
    for organisation in organisations:
        assert is_valid(organisation.credit_code), organisation.credit_code
        assert organisation.credit_code[8:13] == CODE_MARKER
        assert organisation.credit_code[2:8] == organisation.region


def test_generated_columns_equal_what_refresh_public_index_writes(generated):
    columns = ("public_snapshot", "search_tokens", "search_bigrams", "search_title")
    for demand in generated[:20]:
        stored = {name: getattr(demand, name) for name in columns}
        refresh_public_index(demand)
        demand.refresh_from_db()
        assert {name: getattr(demand, name) for name in columns} == stored, demand.ref


def test_generated_hidden_passages_and_fields_stay_out_of_public_columns(contest6):
    generate(200, seed=11, workers=0)
    demands = list(generated_demands().select_related("organisation"))
    with_passage = [demand for demand in demands if demand.hidden_passages]
    with_hidden_name = [demand for demand in demands
                        if HideableField.ORGANISATION in demand.hidden_fields]
    assert with_passage and with_hidden_name
    for demand in with_passage:
        passage = demand.hidden_passages[0]
        assert passage in demand.current_base
        assert passage not in str(demand.public_snapshot)
        assert REDACTION_MARK in demand.public_snapshot["current_base"]
        only_this = public_demands().filter(pk=demand.pk)
        assert not search.search(only_this, passage).exists(), passage
    for demand in with_hidden_name:
        assert demand.organisation.name not in str(demand.public_snapshot)
        assert demand.public_snapshot["public_name"].startswith("某")


@pytest.mark.parametrize("query", ["电池", "芯片"])
def test_search_finds_every_generated_demand_whose_public_text_contains_the_query(
        contest6, query):
    generate(120, seed=5, workers=0)
    demands = list(public_demands())
    expected = {demand.pk for demand in demands
                if any(query in text for text in public_texts(demand))}
    assert expected, f"the generator wrote no public text with {query}"
    found = set(search.search(public_demands(), query, rank_all=True).values_list("pk", flat=True))
    assert expected <= found


def test_generate_is_reproducible_with_the_same_seed(contest6):
    generate(40, seed=3, workers=0)
    first = list(generated_demands().order_by("pk").values_list("title", "key_problem"))
    reset_generated()
    generate(40, seed=3, workers=0)
    second = list(generated_demands().order_by("pk").values_list("title", "key_problem"))
    assert first == second


def test_generate_appends_with_new_references(contest6):
    generate(40, seed=3, workers=0)
    generate(40, seed=3, workers=0)
    assert generated_demands().count() == 80
    assert Demand.objects.values("ref").distinct().count() == 80
    titles = list(generated_demands().order_by("pk").values_list("title", flat=True))
    assert titles[:40] != titles[40:]


def test_reset_deletes_only_generated_rows(contest6):
    other = DemandFactory(status=DemandStatus.PUBLISHED)
    generate(30, seed=2, workers=0)
    assert reset_generated() == 30
    assert not generated_demands().exists()
    assert not generated_organisations().exists()
    assert list(Demand.objects.all()) == [other]
    assert Organisation.objects.filter(pk=other.organisation_id).exists()


def test_reset_option_of_the_command_replaces_generated_rows(contest6):
    call_command("generate_demands", count=30, workers=0, verbosity=0)
    call_command("generate_demands", count=20, reset=True, workers=0, verbosity=0)
    assert generated_demands().count() == 20


def test_total_option_grows_to_and_shrinks_to_the_given_number(contest6):
    call_command("generate_demands", total=30, workers=0, verbosity=0)
    call_command("generate_demands", total=45, workers=0, verbosity=0)
    assert generated_demands().count() == 45
    first = set(generated_demands().values_list("pk", flat=True))
    call_command("generate_demands", total=45, workers=0, verbosity=0)
    assert set(generated_demands().values_list("pk", flat=True)) == first
    call_command("generate_demands", total=20, workers=0, verbosity=0)
    assert generated_demands().count() == 20


def test_generate_demands_refuses_without_a_contest(db):
    with pytest.raises(CommandError, match="load_contest"):
        call_command("generate_demands", count=5, workers=0, verbosity=0)


def test_generate_demands_refuses_a_negative_count(contest6):
    with pytest.raises(CommandError, match="--count and --total"):
        call_command("generate_demands", count=-1, verbosity=0)
