from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_torch_staff
from common.errors import DomainError, show_error

from . import selectors, services
from .enums import WorkPlanState
from .forms import (
    ApproveWorkPlanForm,
    ChallengeNoticeForm,
    ComplaintChannelForm,
    ReturnWorkPlanForm,
    WorkPlanForm,
    stage_formset,
    stage_rows,
)
from .models import ChallengeNotice, ComplaintChannel, HostUnit, WorkPlan
from .permissions import is_host_staff_of
from .public_cache import PUBLIC_PAGES


# --- public pages -----------------------------------------------------------------------------
# The home page is not cached whole here: it also lists demands, which change with the demands'
# own version. What it computes is cached by its owner: the stages below, each app's figures.
def home(request):
    from django.utils import timezone

    from .enums import Stage
    from .home import figures

    contest = selectors.current_contest()
    events = list(selectors.events_with_hosts(contest)) if contest else []
    if contest:
        today = timezone.localdate()
        stages = PUBLIC_PAGES.remember("event-stages", (contest.pk, today.isoformat()),
                                       lambda: selectors.event_stages(contest, today))
        for event in events:
            code, state = stages.get(event.pk, ("", "unplanned"))
            event.stage_state = state
            event.stage_label = Stage(code).label if code else ""
    return render(request, "contests/home.html", {
        "contest": contest,
        "event_groups": selectors.group_events(events),
        "event_count": len(events),
        "host_unit_count": sum(len(event.host_units.all()) for event in events),
        "figures": figures() if contest else [],
        "notices": selectors.latest_published_notices() if contest else [],
    })


@PUBLIC_PAGES.anonymous_page("events")
def event_list(request):
    contest = selectors.current_contest()
    events = list(selectors.events_with_hosts(contest)) if contest else []
    return render(request, "contests/event_list.html", {
        "contest": contest, "event_groups": selectors.group_events(events),
    })


@PUBLIC_PAGES.anonymous_page("event")
def event_detail(request, number):
    contest = selectors.current_contest()
    event = get_object_or_404(selectors.events_with_hosts(contest), number=number)
    return render(request, "contests/event_detail.html", {"contest": contest, "event": event})


@PUBLIC_PAGES.anonymous_page("host")
def host_detail(request, slug):
    try:
        host = selectors.host_unit_page(slug)
    except HostUnit.DoesNotExist as error:
        raise Http404 from error
    return render(request, "contests/host_detail.html", {
        "host": host,
        "stages": selectors.approved_stages(host),
        "hotline": settings.COMPLAINT_HOTLINE,
    })


# --- organiser pages --------------------------------------------------------------------------
def _staffed_unit_or_404(request, slug):
    """The host unit, if the signed-in user is on its staff; 404 for everyone else."""
    unit = get_object_or_404(HostUnit.objects.select_related("event"), slug=slug)
    if not is_host_staff_of(request.user, unit):
        raise Http404
    return unit


@login_required
def organiser_home(request):
    units = list(selectors.staffed_host_units(request.user))
    if not units:
        raise Http404
    return render(request, "contests/organiser/home.html", {"units": units})


def _work_plan_of(unit):
    return WorkPlan.objects.filter(host_unit=unit).first() or WorkPlan(host_unit=unit)


@login_required
def work_plan_edit(request, slug):
    unit = _staffed_unit_or_404(request, slug)
    plan = _work_plan_of(unit)
    if plan.pk and not plan.is_editable:
        if request.method == "POST":
            messages.error(request, _("This work plan is %(state)s and cannot be changed now.")
                           % {"state": plan.get_state_display()})
        plan = selectors.work_plan_with_history(plan.pk)
        return render(request, "contests/organiser/work_plan_view.html",
                      {"unit": unit, "plan": plan})

    if request.method == "POST":
        form = WorkPlanForm(request.POST, instance=plan)
        formset = stage_formset(plan, data=request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                plan = services.save_work_plan(form.save(commit=False), actor=request.user,
                                               stages=stage_rows(formset))
            except DomainError as error:
                show_error(request, error)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The work plan has been saved as a draft."))
                    return redirect("contests:work_plan_edit", slug=unit.slug)
                try:
                    services.submit_work_plan(plan, actor=request.user)
                except DomainError as error:
                    messages.warning(request, _("Saved, but not submitted: %(reason)s")
                                     % {"reason": error.message})
                    return redirect("contests:work_plan_edit", slug=unit.slug)
                messages.success(request, _("The work plan has been submitted to the Torch "
                                            "Center for approval."))
                return redirect("contests:organiser_home")
        else:
            messages.error(request, _("Please correct the errors below."))
    else:
        form = WorkPlanForm(instance=plan)
        formset = stage_formset(plan)

    transitions = plan.transitions.select_related("actor") if plan.pk else []
    return render(request, "contests/organiser/work_plan_form.html", {
        "unit": unit, "plan": plan, "form": form, "formset": formset,
        "transitions": transitions,
    })


@login_required
def notice_list(request, slug):
    unit = _staffed_unit_or_404(request, slug)
    notices = ChallengeNotice.objects.filter(host_unit=unit).order_by("-created_at")
    return render(request, "contests/organiser/notice_list.html",
                  {"unit": unit, "notices": notices})


@login_required
def notice_edit(request, slug, pk=None):
    unit = _staffed_unit_or_404(request, slug)
    notice = (get_object_or_404(ChallengeNotice, pk=pk, host_unit=unit) if pk is not None
              else ChallengeNotice(host_unit=unit))
    form = ChallengeNoticeForm(request.POST or None, instance=notice)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                notice = services.save_notice(form.save(commit=False), actor=request.user)
                if "publish" in request.POST and not notice.is_published:
                    services.publish_notice(notice, actor=request.user)
            if notice.is_published:
                messages.success(request, _("The notice is published on your host unit's page."))
            else:
                messages.success(request, _("The notice has been saved; it is not published "
                                            "yet."))
            return redirect("contests:notice_list", slug=unit.slug)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "contests/organiser/notice_form.html",
                  {"unit": unit, "notice": notice, "form": form})


@login_required
@require_POST
def notice_publish(request, slug, pk):
    unit = _staffed_unit_or_404(request, slug)
    notice = get_object_or_404(ChallengeNotice, pk=pk, host_unit=unit)
    try:
        if request.POST.get("publish") == "0":
            services.unpublish_notice(notice, actor=request.user)
            messages.success(request, _("The notice has been withdrawn from the public page."))
        else:
            services.publish_notice(notice, actor=request.user)
            messages.success(request, _("The notice is published on your host unit's page."))
    except DomainError as error:
        show_error(request, error)
    return redirect("contests:notice_list", slug=unit.slug)


@login_required
def complaint_channels(request, slug, pk=None):
    unit = _staffed_unit_or_404(request, slug)
    channel = (get_object_or_404(ComplaintChannel, pk=pk, host_unit=unit) if pk is not None
               else ComplaintChannel(host_unit=unit))
    form = ComplaintChannelForm(request.POST or None, instance=channel)
    if request.method == "POST":
        if form.is_valid():
            services.save_complaint_channel(form.save(commit=False), actor=request.user)
            messages.success(request, _("The complaint channel has been saved."))
            return redirect("contests:complaint_channels", slug=unit.slug)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "contests/organiser/complaint_channels.html", {
        "unit": unit, "form": form, "channel": channel,
        "channels": ComplaintChannel.objects.filter(host_unit=unit).order_by("position", "pk"),
    })


@login_required
@require_POST
def complaint_channel_delete(request, slug, pk):
    unit = _staffed_unit_or_404(request, slug)
    channel = get_object_or_404(ComplaintChannel, pk=pk, host_unit=unit)
    services.delete_complaint_channel(channel, actor=request.user)
    messages.success(request, _("The complaint channel has been removed."))
    return redirect("contests:complaint_channels", slug=unit.slug)


# --- Torch Center pages -----------------------------------------------------------------------
def _require_torch(request):
    if not is_torch_staff(request.user):
        raise Http404


@login_required
def torch_work_plans(request):
    _require_torch(request)
    state = request.GET.get("state", "")
    if state not in WorkPlanState.values:
        state = ""
    return render(request, "contests/torch/work_plan_list.html", {
        "plans": selectors.work_plans_for_review(state or None),
        "state": state,
        "states": WorkPlanState.choices,
    })


@login_required
def torch_work_plan(request, pk):
    _require_torch(request)
    try:
        plan = selectors.work_plan_with_history(pk)
    except WorkPlan.DoesNotExist as error:
        raise Http404 from error
    approve_form, return_form = ApproveWorkPlanForm(prefix="approve"), ReturnWorkPlanForm(
        prefix="return")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_form = ApproveWorkPlanForm(request.POST, prefix="approve")
                if approve_form.is_valid():
                    services.approve_work_plan(plan, actor=request.user,
                                               comment=approve_form.cleaned_data["comment"])
                    messages.success(request, _("The work plan of %(host)s is approved.")
                                     % {"host": plan.host_unit})
                    return redirect("contests:torch_work_plans")
            elif action == "return":
                return_form = ReturnWorkPlanForm(request.POST, prefix="return")
                if return_form.is_valid():
                    services.return_work_plan(plan, actor=request.user,
                                              comment=return_form.cleaned_data["comment"])
                    messages.success(request, _("The work plan of %(host)s was returned with "
                                                "your comments.") % {"host": plan.host_unit})
                    return redirect("contests:torch_work_plans")
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as error:
            show_error(request, error)
        except PermissionDenied as error:
            raise Http404 from error
        plan = selectors.work_plan_with_history(pk)
    return render(request, "contests/torch/work_plan_detail.html", {
        "plan": plan, "approve_form": approve_form, "return_form": return_form,
    })
