"""The search engine's registration API: an app registers its model's columns once, and the
columns it writes carry the registered names."""

import pytest

from common.search import SearchIndex, index_for, register, registered
from common.search.index import _registry


@pytest.fixture
def clean_registry():
    saved = dict(_registry)
    yield
    _registry.clear()
    _registry.update(saved)


def test_registered_index_is_found_by_model_label(clean_registry):
    index = register(SearchIndex(model="library.Achievement", date_field="listed_at"))

    assert index_for("library.achievement") is index
    assert index in registered()
    assert register(SearchIndex(model="library.Achievement", date_field="listed_at")) == index


def test_a_model_cannot_be_registered_twice_differently(clean_registry):
    register(SearchIndex(model="library.Achievement"))

    with pytest.raises(ValueError, match="registered for search already"):
        register(SearchIndex(model="library.Achievement", title="name_terms"))


def test_unregistered_model_is_refused():
    with pytest.raises(LookupError):
        index_for("library.Nothing")


def test_columns_carry_the_registered_names():
    index = SearchIndex(
        model="library.Achievement", title="name_terms", tokens="terms", bigrams="pairs"
    )

    columns = index.columns(["锂电池隔膜"], ["AI 视觉检测"])

    assert set(columns) == {"name_terms", "terms", "pairs"}
    assert "电池" in columns["pairs"].split()
    assert "ai" in columns["terms"].split()
    assert index.empty_columns() == {"name_terms": "", "terms": "", "pairs": ""}
    assert index.vector_columns == ("name_terms_vector", "terms_vector", "pairs_vector")


def test_demands_register_the_columns_their_model_stores():
    from demands.models import Demand
    from demands.public.search import DEMANDS

    assert index_for(Demand) is DEMANDS
    stored = {field.name for field in Demand._meta.get_fields()}
    assert set(DEMANDS.text_columns) | set(DEMANDS.vector_columns) <= stored
    assert set(Demand.objects.all().query.deferred_loading[0]) == set(DEMANDS.vector_columns)
