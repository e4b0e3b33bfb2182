"""Subsidy pages: a host unit's policies (public in summary; entered by its staff), the apply
form of a matched demand's organisation, the applicant's list, the unit staff's queue, and the
application's page where the staff approve an amount or decline with a reason and the
applicant withdraws. A denial is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import is_torch_staff
from common.errors import DomainError, show_error
from contests.models import HostUnit, WorkPlan
from contests.permissions import is_host_staff_of, staffed_host_unit_ids
from files.selectors import files_for_object

from . import permissions, selectors, services
from .enums import SubsidyState
from .forms import ApproveSubsidyForm, DeclineSubsidyForm, PolicyForm, SubsidyApplicationForm
from .models import SubsidyApplication, SubsidyPolicy


def _work_plan_of(host_unit):
    return WorkPlan.objects.filter(host_unit=host_unit).first()


# --- policies -------------------------------------------------------------------------------------
@require_safe
def policy_list(request, slug):
    """A unit's subsidy policies in summary, for everyone; its staff add and change them, a
    member of a matched demand's organisation finds the apply link."""
    host_unit = get_object_or_404(HostUnit, slug=slug)
    user = request.user
    may_apply = selectors.matched_agreements(user, host_unit).exists()
    return render(request, "awards/subsidy_policies.html", {
        "host_unit": host_unit,
        "policies": selectors.policies_of_unit(host_unit).select_related("work_plan"),
        "is_staff": is_host_staff_of(user, host_unit.pk),
        "may_apply": may_apply, "today": timezone.localdate()})


def _policy_form_page(request, host_unit, policy=None):
    work_plan = _work_plan_of(host_unit)
    initial = {}
    if policy is not None:
        initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS
                   if name != "work_plan"}
        initial["from_work_plan"] = policy.work_plan_id is not None
    form = PolicyForm(request.POST or None, initial=initial,
                      has_work_plan=work_plan is not None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["work_plan"] = work_plan if data.pop("from_work_plan", False) else None
        try:
            policy = services.save_policy(host_unit, actor=request.user, policy=policy,
                                          request=request, **data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The subsidy policy is saved."))
            return redirect(policy.get_absolute_url())
    return render(request, "awards/subsidy_policy_form.html",
                  {"form": form, "host_unit": host_unit, "policy": policy,
                   "work_plan": work_plan})


@login_required
def policy_create(request, slug):
    host_unit = get_object_or_404(HostUnit, slug=slug)
    if not is_host_staff_of(request.user, host_unit.pk):
        raise Http404
    return _policy_form_page(request, host_unit)


@login_required
def policy_edit(request, pk):
    policy = get_object_or_404(SubsidyPolicy.objects.select_related("host_unit"), pk=pk)
    if not permissions.is_policy_host(request.user, policy):
        raise Http404
    return _policy_form_page(request, policy.host_unit, policy)


# --- applying -------------------------------------------------------------------------------------
@login_required
def subsidy_apply(request, pk):
    """The apply form: only for a member of an organisation whose demand at the policy's unit
    was matched (a confirmed intention agreement); everybody else gets 404."""
    policy = get_object_or_404(SubsidyPolicy.objects.select_related("host_unit"), pk=pk)
    agreements = selectors.matched_agreements(request.user, policy.host_unit)
    if not agreements.exists():
        raise Http404
    form = SubsidyApplicationForm(request.POST or None, request.FILES or None,
                                  agreements=agreements)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.apply_for_subsidy(
                policy, data["agreement"], amount=data["amount"],
                justification=data["justification"], files=data["files"],
                actor=request.user, request=request)
        except ValidationError as error:
            form.add_error("files", error)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your subsidy application is submitted to the host "
                                        "unit."))
            return redirect(application.get_absolute_url())
    return render(request, "awards/subsidy_apply.html", {
        "form": form, "policy": policy,
        "is_open": policy.is_open_on(timezone.localdate())})


# --- lists ----------------------------------------------------------------------------------------
def _page(request, queryset):
    return Paginator(selectors.for_subsidy_list(queryset), 25).get_page(request.GET.get("page"))


@login_required
@require_safe
def subsidy_list(request):
    """The applications of the user's organisations."""
    page_obj = _page(request, selectors.own_subsidy_applications(request.user))
    return render(request, "awards/subsidies.html", {
        "page_obj": page_obj, "applications": page_obj.object_list,
        "open_policies": selectors.open_policies_for(request.user, timezone.localdate())})


QUEUE_FILTERS = ("submitted", "decided", "all")


@login_required
@require_safe
def subsidy_queue(request):
    """The host staff's queue: the applications to their units, awaiting decision first (or
    decided, or all); Torch staff see every unit's."""
    user = request.user
    if not (staffed_host_unit_ids(user) or is_torch_staff(user)):
        raise Http404
    shown = request.GET.get("state", "submitted")
    if shown not in QUEUE_FILTERS:
        shown = "submitted"
    queryset = selectors.subsidy_applications_managed_by(user)
    if shown == "submitted":
        queryset = queryset.filter(state=SubsidyState.SUBMITTED)
    elif shown == "decided":
        queryset = queryset.filter(state__in=[SubsidyState.APPROVED, SubsidyState.DECLINED])
    page_obj = _page(request, queryset)
    units = HostUnit.objects.filter(pk__in=staffed_host_unit_ids(user)).order_by("name")
    return render(request, "awards/subsidy_queue.html", {
        "page_obj": page_obj, "applications": page_obj.object_list, "shown": shown,
        "units": units})


# --- one application ------------------------------------------------------------------------------
def _application(request, pk):
    application = get_object_or_404(SubsidyApplication.objects.select_related(
        "policy", "host_unit", "organisation", "applicant", "agreement__demand",
        "agreement__partner", "decided_by"), pk=pk)
    if not request.user.has_perm("awards.view_subsidyapplication", application):
        raise Http404
    return application


def _detail(request, application, *, approve_form=None, decline_form=None, status=200):
    user = request.user
    deciding = (application.state == SubsidyState.SUBMITTED
                and permissions.can_decide_subsidy(user, application))
    if deciding:
        approve_form = approve_form or ApproveSubsidyForm(
            initial={"amount": min(application.amount_asked, application.policy.max_amount)})
        decline_form = decline_form or DeclineSubsidyForm()
    return render(request, "awards/subsidy_detail.html", {
        "application": application,
        "files": files_for_object(application),
        "approve_form": approve_form if deciding else None,
        "decline_form": decline_form if deciding else None,
        "may_withdraw": application.state == SubsidyState.SUBMITTED
        and permissions.can_withdraw_subsidy(user, application),
        "transitions": application.transitions.select_related("actor").order_by("at", "pk"),
    }, status=status)


@login_required
@require_safe
def subsidy_detail(request, pk):
    return _detail(request, _application(request, pk))


@login_required
@require_POST
def subsidy_step(request, pk):
    """Approve or decline (the unit's staff), withdraw (the applicant). A refusal is a message;
    a form with errors comes back with what was typed."""
    application = _application(request, pk)
    user = request.user
    step = request.POST.get("step")
    if step in ("approve", "decline") and not (
            application.state == SubsidyState.SUBMITTED
            and permissions.can_decide_subsidy(user, application)):
        messages.error(request, _("Only the unit's staff decide, while the application awaits "
                                  "decision."))
        return redirect(application.get_absolute_url())
    if step == "approve":
        form = ApproveSubsidyForm(request.POST)
        if form.is_valid():
            try:
                services.approve_subsidy(application, amount=form.cleaned_data["amount"],
                                         reason=form.cleaned_data["reason"], actor=user,
                                         request=request)
            except DomainError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("The subsidy is approved."))
                return redirect(application.get_absolute_url())
        return _detail(request, application, approve_form=form, status=400)
    if step == "decline":
        form = DeclineSubsidyForm(request.POST)
        if form.is_valid():
            try:
                services.decline_subsidy(application, reason=form.cleaned_data["reason"],
                                         actor=user, request=request)
            except DomainError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("The subsidy application is declined."))
                return redirect(application.get_absolute_url())
        return _detail(request, application, decline_form=form, status=400)
    try:
        services.withdraw_subsidy(application, actor=user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The subsidy application is withdrawn."))
    return redirect(application.get_absolute_url())
