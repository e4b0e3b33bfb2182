"""The demand form: drafts accept incomplete data, submission needs everything, formats are
always checked, and consent is never pre-ticked."""

from contests.models import HostUnit
from demands.forms import DemandForm, IndicatorFormSet
from tests.demands.collection import *  # noqa: F403


def _form(data, mode, owner_org, demand=None):
    from accounts.models import Organisation

    return DemandForm(data, mode=mode, organisations=Organisation.objects.filter(pk=owner_org.pk),
                      host_units=HostUnit.objects.all(), demand=demand)


def test_draft_needs_only_title_and_host_unit(owner_org, host_unit):
    form = _form({"organisation": owner_org.pk, "host_unit": host_unit.pk, "title": "草稿"},
                 "draft", owner_org)
    assert form.is_valid(), form.errors


def test_full_mode_requires_what_submission_needs(owner_org, host_unit):
    form = _form({"organisation": owner_org.pk, "host_unit": host_unit.pk, "title": "草稿"},
                 "full", owner_org)
    assert not form.is_valid()
    assert set(form.errors) == {"industry_field", "demand_type", "keywords", "key_problem",
                                "expected_outcome", "outcome_forms", "cooperation_modes",
                                "region", "contact_person", "contact_mobile", "contact_email"}


def test_draft_still_checks_the_format_of_what_is_typed(owner_org, host_unit):
    form = _form({"organisation": owner_org.pk, "host_unit": host_unit.pk, "title": "草稿",
                  "contact_mobile": "12345678901", "region": "6101", "budget": "很多",
                  "keywords": "一、二、三、四、五、六"}, "draft", owner_org)
    assert not form.is_valid()
    assert set(form.errors) == {"contact_mobile", "region", "budget", "keywords"}


def test_mobile_is_normalised(owner_org, host_unit):
    form = _form({"organisation": owner_org.pk, "host_unit": host_unit.pk, "title": "草稿",
                  "contact_mobile": "0086 139-1234-5678"}, "draft", owner_org)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_mobile"] == "13912345678"


def test_hidden_passage_must_occur_in_the_text(owner_org, host_unit):
    form = _form({"organisation": owner_org.pk, "host_unit": host_unit.pk, "title": "草稿",
                  "key_problem": "焊缝气孔率高于2%", "hidden_passages": "焊缝气孔率\n宝钢"},
                 "draft", owner_org)
    assert not form.is_valid()
    assert list(form.errors) == ["hidden_passages"]
    assert "宝钢" in form.errors["hidden_passages"][0]
    assert "焊缝气孔率" not in form.errors["hidden_passages"][0].replace("宝钢", "")


def test_the_company_cannot_tick_the_contacts_consent_for_them(owner_org):
    # The contact person confirms by the link e-mailed to them (tests/demands/
    # test_contact_consent.py); the form has no box for it.
    assert "contact_consents_sharing" not in _form(None, "full", owner_org).fields


def test_keywords_show_as_one_field_when_editing(make_demand, owner_org):
    demand = make_demand(keywords=["热管理", "液冷"])
    html = str(_form(None, "full", owner_org, demand=demand)["keywords"])
    assert 'value="热管理、液冷"' in html


def test_indicator_rows_need_a_name_and_in_full_mode_a_target():
    data = {"indicators-TOTAL_FORMS": "2", "indicators-INITIAL_FORMS": "0",
            "indicators-0-name": "", "indicators-0-target_value": "≥99%",
            "indicators-1-name": "检出率", "indicators-1-target_value": ""}
    draft = IndicatorFormSet(data, prefix="indicators", mode="draft")
    full = IndicatorFormSet(data, prefix="indicators", mode="full")
    assert not draft.is_valid()
    assert [list(form.errors) for form in draft.forms] == [["name"], []]
    assert not full.is_valid()
    assert [list(form.errors) for form in full.forms] == [["name"], ["target_value"]]


def test_full_mode_requires_one_indicator():
    data = {"indicators-TOTAL_FORMS": "1", "indicators-INITIAL_FORMS": "0",
            "indicators-0-name": ""}
    assert IndicatorFormSet(data, prefix="indicators", mode="draft").is_valid()
    full = IndicatorFormSet(data, prefix="indicators", mode="full")
    assert not full.is_valid()
    assert full.non_form_errors()
