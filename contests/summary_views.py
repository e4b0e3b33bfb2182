"""The summary reports' pages: the unit's staff write and submit theirs, Torch staff list every
unit's, rate and comment or return; both print a report (a page fit for PDF, no script).
Strangers get 404 everywhere."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_torch_staff
from common.concurrency import StaleEdit
from common.errors import DomainError, show_error

from . import selectors, summary_services
from .forms import ReturnSummaryForm, ReviewSummaryForm, SummaryReportForm
from .models import HostUnit, SummaryReport
from .permissions import can_see_summary_report, is_host_staff_of
from .summary import freeze, labelled


def _staffed_unit_or_404(request, slug):
    unit = get_object_or_404(HostUnit.objects.select_related("event"), slug=slug)
    if not is_host_staff_of(request.user, unit):
        raise Http404
    return unit


def _live_figures(unit):
    """The figures as they stand now (a draft's preview; submitting freezes them)."""
    return labelled(freeze(unit))


def _transitions(report):
    return report.transitions.select_related("actor").order_by("at", "pk") if report.pk else []


@login_required
def summary_edit(request, slug):
    """The unit's staff: write the four sections, save the draft, submit; once submitted, the
    report as sent, with the Torch Center's rating and comments when there are some."""
    unit = _staffed_unit_or_404(request, slug)
    report = summary_services.summary_report_of(unit)
    if report.pk and not report.is_editable:
        status = 200
        if request.method == "POST":
            messages.error(request, _("This summary report is %(state)s and cannot be changed "
                                      "now.") % {"state": report.get_state_display()})
            status = 400
        return render(request, "contests/summary/report_view.html", {
            "unit": unit, "report": report, "figures": report.figure_rows(),
            "transitions": _transitions(report),
        }, status=status)

    form = SummaryReportForm(request.POST if request.method == "POST" else None, instance=report,
                             edited=report if report.pk else None)
    if request.method == "POST":
        if form.is_valid():
            token = form.submitted_edit_token() if report.pk else ""
            try:
                report = summary_services.save_summary_report(
                    unit, actor=request.user, sections=form.cleaned_data, token=token)
            except StaleEdit as error:
                form.refuse_stale(error)
            except DomainError as error:
                show_error(request, error, form)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The summary report has been saved as a draft."))
                    return redirect("contests:summary_edit", slug=unit.slug)
                try:
                    summary_services.submit_summary_report(report, actor=request.user)
                except DomainError as error:
                    messages.warning(request, _("Saved, but not submitted: %(reason)s")
                                     % {"reason": error.message})
                    return redirect("contests:summary_edit", slug=unit.slug)
                messages.success(request, _("The summary report has been submitted to the Torch "
                                            "Center; its figures are filled in from today's "
                                            "data."))
                return redirect("contests:summary_edit", slug=unit.slug)
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(request, "contests/summary/report_form.html", {
        "unit": unit, "report": report, "form": form, "figures": _live_figures(unit),
        "transitions": _transitions(report), "now": timezone.now(),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def summary_print(request, pk):
    """The report as a printable page (print CSS, no script): the unit's staff and Torch
    staff."""
    report = get_object_or_404(SummaryReport.objects.select_related("host_unit__event",
                                                                    "reviewed_by"), pk=pk)
    if not can_see_summary_report(request.user, report):
        raise Http404
    figures = report.figure_rows() if report.figures else _live_figures(report.host_unit)
    return render(request, "contests/summary/report_print.html", {
        "report": report, "unit": report.host_unit, "figures": figures,
        "frozen": bool(report.figures), "printed_at": timezone.now(),
    })


# --- Torch Center -----------------------------------------------------------------------------
def _require_torch(request):
    if not is_torch_staff(request.user):
        raise Http404


@login_required
@require_GET
def torch_summaries(request):
    """Every host unit's report; by default the pending ones (not submitted, or submitted and
    not reviewed)."""
    _require_torch(request)
    status = request.GET.get("status", "pending")
    if status not in selectors.SUMMARY_FILTERS:
        status = "pending"
    return render(request, "contests/summary/torch_list.html", {
        "units": selectors.summary_overview(status), "status": status,
        "filters": [("pending", _("Pending")), ("unsubmitted", _("Not submitted")),
                    ("awaiting_review", _("Awaiting review")), ("reviewed", _("Reviewed")),
                    ("all", _("All"))],
    })


@login_required
def torch_summary(request, pk):
    """Read a report; rate and comment, or return it for revision."""
    _require_torch(request)
    try:
        report = selectors.summary_report_with_history(pk)
    except SummaryReport.DoesNotExist as error:
        raise Http404 from error
    review_form = ReviewSummaryForm(prefix="review")
    return_form = ReturnSummaryForm(prefix="return")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "review":
                review_form = ReviewSummaryForm(request.POST, prefix="review")
                if review_form.is_valid():
                    summary_services.review_summary_report(
                        report, actor=request.user, rating=review_form.cleaned_data["rating"],
                        comment=review_form.cleaned_data["comment"])
                    messages.success(request, _("The summary report of %(host)s is rated.")
                                     % {"host": report.host_unit})
                    return redirect("contests:torch_summaries")
            elif action == "return":
                return_form = ReturnSummaryForm(request.POST, prefix="return")
                if return_form.is_valid():
                    summary_services.return_summary_report(
                        report, actor=request.user, comment=return_form.cleaned_data["comment"])
                    messages.success(request, _("The summary report of %(host)s was returned "
                                                "for revision.") % {"host": report.host_unit})
                    return redirect("contests:torch_summaries")
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as error:
            show_error(request, error, review_form if action == "review" else return_form)
        except PermissionDenied as error:
            raise Http404 from error
        status = 400
        report = selectors.summary_report_with_history(pk)
    return render(request, "contests/summary/torch_detail.html", {
        "report": report, "unit": report.host_unit, "figures": report.figure_rows(),
        "transitions": report.transitions.all(),
        "review_form": review_form, "return_form": return_form,
    }, status=status)
