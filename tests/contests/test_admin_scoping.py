"""Host scoping in Django admin, for every admin model of the contests app: a host organiser of
unit A sees, opens, changes and picks only A's rows; Torch staff see everything."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.urls import reverse

from contests.admin_scoping import HostScopedAdminMixin
from contests.enums import WorkPlanState
from contests.models import (
    ChallengeNotice,
    ComplaintChannel,
    Contest,
    Event,
    HostMembership,
    HostUnit,
    IndustryField,
    WorkPlan,
    WorkPlanStage,
)
from tests.contests.conftest import sign_in
from tests.factories.accounts import UserFactory
from tests.factories.contests import (
    ChallengeNoticeFactory,
    ComplaintChannelFactory,
    HostMembershipFactory,
    WorkPlanFactory,
    WorkPlanStageFactory,
)

pytestmark = pytest.mark.django_db

# model name -> the row of that model belonging to a host unit
SCOPED = {
    "event": lambda unit: unit.event,
    "hostunit": lambda unit: unit,
    "hostmembership": lambda unit: HostMembershipFactory(host_unit=unit),
    "workplan": lambda unit: WorkPlanFactory(host_unit=unit),
    "challengenotice": lambda unit: ChallengeNoticeFactory(host_unit=unit),
    "complaintchannel": lambda unit: ComplaintChannelFactory(host_unit=unit),
}
MODELS = {"event": Event, "hostunit": HostUnit, "hostmembership": HostMembership,
          "workplan": WorkPlan, "challengenotice": ChallengeNotice,
          "complaintchannel": ComplaintChannel, "contest": Contest,
          "industryfield": IndustryField}
# models with a host unit field that host staff may fill in
HOST_UNIT_FORMS = ["workplan", "challengenotice", "complaintchannel"]
INLINE_MANAGEMENT = {
    "workplan": {f"{prefix}-{key}": value for prefix in ("stages", "transitions")
                 for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"),
                                    ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))},
}


def admin_url(model, action, *args):
    return reverse(f"admin:contests_{model}_{action}", args=args)


def snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return model_to_dict(obj)


def change_data(model, row, host_unit):
    """A plausible change form submission moving the row to ``host_unit``."""
    data = {
        "hostunit": {"introduction": "被改掉的介绍", "name": "被改掉的名字",
                     "event": host_unit.event_id, "response_deadline_days": "30"},
        "event": {"name": "被改掉的赛事", "number": "99", "contest": host_unit.event.contest_id,
                  "kind": "regional"},
        "hostmembership": {"host_unit": host_unit.pk},
        "workplan": {"host_unit": host_unit.pk, "goals": "被改掉的目标"},
        "challengenotice": {"host_unit": host_unit.pk, "title": "被改掉的标题", "body": "正文"},
        "complaintchannel": {"host_unit": host_unit.pk, "name": "被改掉的机构",
                             "phone": "029-86786000", "position": "0"},
        "contest": {"edition": "6", "name": "被改掉的比赛", "year": "2021"},
        "industryfield": {"code": "changed", "name": "被改掉的领域"},
    }[model]
    return {**data, **INLINE_MANAGEMENT.get(model, {})}


@pytest.fixture
def admin_a(client, host_organiser):
    return sign_in(client, host_organiser)


# --- changelists ------------------------------------------------------------------------------
@pytest.mark.parametrize("model", SCOPED)
def test_host_organiser_changelist_shows_only_own_rows(admin_a, host_unit, other_host_unit,
                                                       model):
    mine, theirs = SCOPED[model](host_unit), SCOPED[model](other_host_unit)

    response = admin_a.get(admin_url(model, "changelist"))

    text = response.content.decode()
    assert response.status_code == 200
    assert admin_url(model, "change", mine.pk) in text
    assert admin_url(model, "change", theirs.pk) not in text
    shown = response.context["cl"].result_list
    assert mine in shown and theirs not in shown


@pytest.mark.parametrize("model", SCOPED)
def test_torch_staff_changelist_shows_every_units_rows(client, torch_staff, host_unit,
                                                       other_host_unit, model):
    rows = [SCOPED[model](host_unit), SCOPED[model](other_host_unit)]

    response = sign_in(client, torch_staff).get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert all(row in response.context["cl"].result_list for row in rows)


@pytest.mark.parametrize("model", ["contest", "industryfield"])
def test_reference_data_is_listed_for_host_organisers(admin_a, host_unit, model):
    response = admin_a.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == MODELS[model].objects.count() > 0


def test_admin_index_shows_contest_models_to_host_organisers(admin_a, host_unit):
    text = admin_a.get(reverse("admin:index")).content.decode()
    for model in ["workplan", "challengenotice", "complaintchannel", "hostunit", "event"]:
        assert admin_url(model, "changelist") in text


def test_staff_without_host_unit_or_torch_role_sees_no_contest_data(client, host_unit):
    plain_staff = UserFactory(is_staff=True)
    WorkPlanFactory(host_unit=host_unit)
    client = sign_in(client, plain_staff)

    assert admin_url("workplan", "changelist") not in client.get(
        reverse("admin:index")).content.decode()
    assert client.get(admin_url("workplan", "changelist")).status_code == 403


# --- another unit's change page ---------------------------------------------------------------
@pytest.mark.parametrize("page", ["change", "delete", "history"])
@pytest.mark.parametrize("model", SCOPED)
def test_host_organiser_gets_404_on_another_units_row(admin_a, other_host_unit, model, page):
    theirs = SCOPED[model](other_host_unit)

    response = admin_a.get(admin_url(model, page, theirs.pk))

    # An object outside the user's queryset answers like a missing one, as on the pages
    assert response.status_code == 404
    assert MODELS[model].objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("model", SCOPED)
def test_host_organiser_cannot_post_a_change_to_another_units_row(admin_a, host_unit,
                                                                  other_host_unit, model):
    theirs = SCOPED[model](other_host_unit)
    before = snapshot(theirs)

    response = admin_a.post(admin_url(model, "change", theirs.pk),
                            change_data(model, theirs, host_unit))

    assert response.status_code == 404
    assert snapshot(theirs) == before


@pytest.mark.parametrize("model", SCOPED)
def test_host_organiser_cannot_delete_another_units_row(admin_a, other_host_unit, model):
    theirs = SCOPED[model](other_host_unit)

    admin_a.post(admin_url(model, "delete", theirs.pk), {"post": "yes"})
    admin_a.post(admin_url(model, "changelist"),
                 {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"})

    assert MODELS[model].objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("model", ["contest", "industryfield", "event"])
def test_host_organisers_cannot_change_reference_data(admin_a, host_unit, model):
    row = {"contest": lambda: host_unit.event.contest, "event": lambda: host_unit.event,
           "industryfield": lambda: host_unit.fields.first()}[model]()
    before = snapshot(row)

    page = admin_a.get(admin_url(model, "change", row.pk))
    response = admin_a.post(admin_url(model, "change", row.pk),
                            change_data(model, row, host_unit))

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    assert snapshot(row) == before
    assert admin_a.get(admin_url(model, "add")).status_code == 403


# --- choices and saving -----------------------------------------------------------------------
@pytest.mark.parametrize("model", HOST_UNIT_FORMS)
def test_host_unit_dropdown_offers_only_own_units(admin_a, host_unit, other_host_unit, model):
    form = admin_a.get(admin_url(model, "add")).context["adminform"].form

    assert list(form.fields["host_unit"].queryset) == [host_unit]
    text = admin_a.get(admin_url(model, "add")).content.decode()
    assert f'value="{other_host_unit.pk}"' not in text


@pytest.mark.parametrize("model", HOST_UNIT_FORMS)
def test_host_organiser_cannot_add_a_row_for_another_unit(admin_a, other_host_unit, model):
    data = change_data(model, None, other_host_unit)

    response = admin_a.post(admin_url(model, "add"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MODELS[model].objects.filter(host_unit=other_host_unit).exists()


@pytest.mark.parametrize("model", HOST_UNIT_FORMS)
def test_host_organiser_cannot_move_own_row_to_another_unit(admin_a, host_unit, other_host_unit,
                                                            model):
    mine = SCOPED[model](host_unit)

    admin_a.post(admin_url(model, "change", mine.pk), change_data(model, mine, other_host_unit))

    assert type(mine).objects.get(pk=mine.pk).host_unit_id == host_unit.pk


def test_host_organiser_adds_own_notice_in_admin(admin_a, host_unit, host_organiser):
    response = admin_a.post(admin_url("challengenotice", "add"),
                            change_data("challengenotice", None, host_unit))

    assert response.status_code == 302
    notice = ChallengeNotice.objects.get(host_unit=host_unit)
    assert (notice.title, notice.created_by, notice.is_published) == (
        "被改掉的标题", host_organiser, False)


def test_host_organiser_edits_own_introduction_but_not_the_annex_fields(admin_a, host_unit):
    name = host_unit.name

    response = admin_a.post(admin_url("hostunit", "change", host_unit.pk),
                            change_data("hostunit", host_unit, host_unit))

    assert response.status_code == 302
    host_unit.refresh_from_db()
    assert (host_unit.introduction, host_unit.name) == ("被改掉的介绍", name)


def test_host_organisers_cannot_add_members(admin_a, host_unit):
    newcomer = UserFactory()
    response = admin_a.post(admin_url("hostmembership", "add"),
                            {"user": newcomer.pk, "host_unit": host_unit.pk})
    assert response.status_code == 403
    assert not HostMembership.objects.filter(user=newcomer).exists()


def test_torch_adds_a_member_who_becomes_staff(client, torch_staff, host_unit):
    newcomer = UserFactory()

    response = sign_in(client, torch_staff).post(admin_url("hostmembership", "add"),
                                                 {"user": newcomer.pk, "host_unit": host_unit.pk})

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff and "host_organiser" in newcomer.role_codes()
    assert HostMembership.objects.filter(user=newcomer, host_unit=host_unit).exists()


def test_torch_staff_pick_any_host_unit(client, torch_staff, host_unit, other_host_unit):
    form = sign_in(client, torch_staff).get(admin_url("workplan", "add")).context[
        "adminform"].form
    assert set(form.fields["host_unit"].queryset) >= {host_unit, other_host_unit}


# --- work plans in admin ----------------------------------------------------------------------
def test_host_organiser_edits_a_draft_with_stage_rows(admin_a, host_unit):
    plan = WorkPlanFactory(host_unit=host_unit)
    data = {**change_data("workplan", plan, host_unit),
            "stages-TOTAL_FORMS": "1", "stages-0-stage": "docking",
            "stages-0-starts_on": "2021-10-01", "stages-0-ends_on": "2021-10-31",
            "stages-0-work_plan": str(plan.pk)}

    response = admin_a.post(admin_url("workplan", "change", plan.pk), data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.goals == "被改掉的目标" and plan.state == WorkPlanState.DRAFT
    assert list(plan.stages.values_list("stage", flat=True)) == ["docking"]


def test_submitted_plan_is_read_only_for_its_host_in_admin(admin_a, host_unit):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.SUBMITTED, goals="原目标")

    response = admin_a.post(admin_url("workplan", "change", plan.pk),
                            change_data("workplan", plan, host_unit))

    assert response.status_code == 403
    assert WorkPlan.objects.get(pk=plan.pk).goals == "原目标"


def test_review_actions_are_for_torch_staff_only(admin_a, host_unit, torch_staff):
    from django.test import Client

    WorkPlanFactory(host_unit=host_unit)

    def actions(client):
        form = client.get(admin_url("workplan", "changelist")).context["action_form"]
        return set(dict(form.fields["action"].choices))

    assert actions(admin_a) & {"approve_plans", "return_plans", "delete_selected"} == set()
    assert "submit_plans" in actions(admin_a)
    assert {"approve_plans", "return_plans"} <= actions(sign_in(Client(), torch_staff))


def test_torch_approves_in_admin(client, torch_staff, host_unit, other_host_unit):
    plans = [WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.SUBMITTED),
             WorkPlanFactory(host_unit=other_host_unit, state=WorkPlanState.DRAFT)]

    sign_in(client, torch_staff).post(admin_url("workplan", "changelist"), {
        "action": "approve_plans", "index": "0",
        "_selected_action": [plan.pk for plan in plans]})

    assert [WorkPlan.objects.get(pk=plan.pk).state for plan in plans] == [
        WorkPlanState.APPROVED, WorkPlanState.DRAFT]


def test_torch_returns_in_admin_after_writing_a_comment(client, torch_staff, host_unit):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.SUBMITTED)
    client = sign_in(client, torch_staff)

    confirm = client.post(admin_url("workplan", "changelist"), {
        "action": "return_plans", "index": "0", "_selected_action": [plan.pk]})
    empty = client.post(admin_url("workplan", "changelist"), {
        "action": "return_plans", "_selected_action": [plan.pk], "apply": "1", "comment": ""})
    assert WorkPlan.objects.get(pk=plan.pk).state == WorkPlanState.SUBMITTED
    client.post(admin_url("workplan", "changelist"), {
        "action": "return_plans", "_selected_action": [plan.pk], "apply": "1",
        "comment": "请细化宣传安排"})

    assert confirm.status_code == 200 and 'name="comment"' in confirm.content.decode()
    assert "This field is required." in empty.content.decode()
    plan.refresh_from_db()
    assert (plan.state, plan.review_comment) == (WorkPlanState.RETURNED, "请细化宣传安排")


def test_host_organiser_sees_stage_rows_of_own_plan_only(admin_a, host_unit, other_host_unit):
    mine = WorkPlanStageFactory(work_plan=WorkPlanFactory(host_unit=host_unit), note="我的阶段")
    WorkPlanStageFactory(work_plan=WorkPlanFactory(host_unit=other_host_unit), note="别家的阶段")

    text = admin_a.get(admin_url("workplan", "change", mine.work_plan.pk)).content.decode()

    assert "我的阶段" in text and "别家的阶段" not in text


# --- the mixin on its own, as later apps use it ------------------------------------------------
def stages_visible_to(user):
    from contests.selectors import of_host_units

    return of_host_units(WorkPlanStage.objects.all(), user, "work_plan__host_unit")


class StageAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = stages_visible_to
    host_unit_lookup = "work_plan__host_unit"


def test_mixin_scopes_a_model_two_hops_from_its_host_unit(rf, host_organiser, host_unit,
                                                          other_host_unit):
    model_admin = StageAdmin(WorkPlanStage, admin.site)
    request = rf.get("/")
    request.user = host_organiser
    mine = WorkPlanStageFactory(work_plan=WorkPlanFactory(host_unit=host_unit))
    theirs = WorkPlanStageFactory(work_plan=WorkPlanFactory(host_unit=other_host_unit))

    assert list(model_admin.get_queryset(request)) == [mine]
    # a foreign key to another scoped model offers only the rows its own admin shows
    field = model_admin.formfield_for_foreignkey(WorkPlanStage._meta.get_field("work_plan"),
                                                 request)
    assert list(field.queryset) == [mine.work_plan]
    assert model_admin.has_change_permission(request, mine)
    assert not model_admin.has_view_permission(request, theirs)
    assert not model_admin.has_delete_permission(request, theirs)


def test_mixin_refuses_to_save_an_object_of_another_unit(rf, host_organiser, other_host_unit):
    model_admin = StageAdmin(WorkPlanStage, admin.site)
    request = rf.post("/")
    request.user = host_organiser
    foreign_plan = WorkPlanFactory(host_unit=other_host_unit)
    smuggled = WorkPlanStage(work_plan=foreign_plan, stage="docking",
                             starts_on=datetime.date(2021, 10, 1),
                             ends_on=datetime.date(2021, 10, 2))

    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, smuggled, form=None, change=False)
    assert not WorkPlanStage.objects.filter(work_plan=foreign_plan).exists()


def test_mixin_lets_torch_staff_save_anywhere(rf, torch_staff, other_host_unit):
    model_admin = StageAdmin(WorkPlanStage, admin.site)
    request = rf.post("/")
    request.user = torch_staff
    plan = WorkPlanFactory(host_unit=other_host_unit)

    model_admin.save_model(request, WorkPlanStage(
        work_plan=plan, stage="docking", starts_on=datetime.date(2021, 10, 1),
        ends_on=datetime.date(2021, 10, 2)), form=None, change=False)

    assert plan.stages.count() == 1


@pytest.mark.django_db
def test_demand_admin_host_filter_lists_only_own_units_for_host_organiser(rf):
    from django.contrib import admin as django_admin

    from demands.models import Demand
    from tests.factories.contests import HostMembershipFactory, HostUnitFactory
    from tests.factories.demands import DemandFactory

    own, second, other = HostUnitFactory(), HostUnitFactory(), HostUnitFactory()
    for unit in (own, second, other):
        DemandFactory(host_unit=unit, status="submitted")
    organiser = HostMembershipFactory(host_unit=own).user
    HostMembershipFactory(host_unit=second, user=organiser)
    model_admin = django_admin.site._registry[Demand]
    request = rf.get("/admin/demands/demand/")
    request.user = organiser

    changelist = model_admin.get_changelist_instance(request)

    host_spec = next(spec for spec in changelist.filter_specs
                     if getattr(spec, "field_path", "") == "host_unit")
    assert sorted(pk for pk, _name in host_spec.lookup_choices) == sorted([own.pk, second.pk])
