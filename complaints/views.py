"""Pages of complaints and disputes. Every write goes through ``complaints.services``; a case
the user may not see is a 404, whatever the reason."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_torch_staff
from common.errors import DomainError, show_error
from common.references import complaint_targets
from contests.models import ComplaintChannel
from contests.permissions import staffed_host_unit_ids
from files.selectors import files_for_object

from . import permissions, selectors, services
from .enums import OPEN_STATES, ComplaintState, EntryKind
from .forms import (
    AdditionForm,
    ComplaintForm,
    DecisionForm,
    DisputeCloseForm,
    DisputeForm,
    FeedbackForm,
    MediationForm,
    ReviewerForm,
    TextForm,
)
from .models import Complaint, Dispute

PAGE_SIZE = 25


def index(request):
    """The receiving agencies of every host unit and the national hotline (seed 四(四))."""
    channels = (ComplaintChannel.objects.select_related("host_unit__event")
                .order_by("host_unit__event__number", "host_unit_id", "position", "pk"))
    return render(request, "complaints/index.html", {
        "channels": channels, "targets": complaint_targets(),
    })


@login_required
def create(request):
    initial = {"target_key": request.GET.get("kind", ""), "reference": request.GET.get("ref", "")}
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.file_complaint(
                complainant=request.user, target_key=data["target_key"],
                reference=data["reference"], category=data["category"],
                description=data["description"], anonymous=data["anonymous"],
                host_unit=data["host_unit"], evidence=data["evidence"], request=request,
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your complaint was received as case %(number)s.")
                             % {"number": complaint.number})
            return redirect(complaint.get_absolute_url())
    return render(request, "complaints/form.html", {"form": form,
                                                     "targets": complaint_targets()})


@login_required
def mine(request):
    user = request.user
    return render(request, "complaints/mine.html", {
        "complaints": selectors.for_list(Complaint.objects.filter(complainant=user)),
        "against": selectors.for_list(selectors.complaints_against(user)),
        "disputes": Dispute.objects.filter(Q(side_a=user) | Q(side_b=user))
        .select_related("host_unit", "side_a", "side_b"),
    })


@login_required
def handle(request):
    """The cases of the user's host units (all of them for Torch staff)."""
    user = request.user
    scope = selectors.complaints_handled_by(user)
    if not (is_torch_staff(user) or staffed_host_unit_ids(user)):
        raise Http404
    state = request.GET.get("state", "")
    today = timezone.localdate()
    if request.GET.get("overdue"):
        scope = selectors.overdue(scope, today=today)
    elif request.GET.get("escalated"):
        scope = scope.filter(state__in=OPEN_STATES, escalated_at__isnull=False)
    elif state in ComplaintState.values:
        scope = scope.filter(state=state)
    page = Paginator(selectors.for_list(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/handle.html", {
        "page_obj": page, "states": ComplaintState.choices, "state": state, "today": today,
        "overdue": bool(request.GET.get("overdue")),
        "escalated": bool(request.GET.get("escalated")),
        "disputes": selectors.disputes_managed_by(user).select_related("host_unit")[:50],
    })


def _visible(request, number):
    complaint = get_object_or_404(Complaint.objects.select_related(
        "host_unit", "handling_unit", "complainant", "reviewer", "taken_over_by"), number=number)
    if not permissions.can_view_complaint(request.user, complaint):
        raise Http404
    return complaint


@login_required
def detail(request, number):
    complaint = _visible(request, number)
    user = request.user
    staff = permissions.can_write_note(user, complaint) or permissions.can_export_audit(
        user, complaint)
    entries = complaint.entries.select_related("author")
    if not staff:
        entries = entries.filter(kind=EntryKind.ADDITION)
    kind = services.target_kind(complaint)
    reviewer_form = None
    if permissions.can_assign_reviewer(user, complaint):
        reviewer_form = ReviewerForm(candidates=services.reviewer_candidates(complaint))
    actions = [to for to in services.COMPLAINT_WORKFLOW.available(user, complaint)
               if to != ComplaintState.CLOSED]
    return render(request, "complaints/detail.html", {
        "complaint": complaint, "entries": entries,
        "files": files_for_object(complaint).select_related("uploaded_by"),
        "transitions": complaint.transitions.select_related("actor"),
        "is_staff_view": staff, "kind": kind, "actions": actions,
        "decision_form": DecisionForm(), "text_form": TextForm(),
        "addition_form": AdditionForm() if permissions.can_add_information(user, complaint)
        else None,
        "feedback_form": FeedbackForm() if permissions.may_give_feedback(user, complaint)
        else None,
        "may_take_over": permissions.can_take_over(user, complaint),
        "may_share": permissions.can_share(user, complaint),
        "may_note": permissions.can_write_note(user, complaint),
        "may_export": permissions.can_export_audit(user, complaint),
        "reviewer_form": reviewer_form,
        "overdue": complaint.state == ComplaintState.RECEIVED
        and complaint.accept_due < timezone.localdate(),
    })


def _done(request, complaint, text):
    messages.success(request, text)
    return redirect(complaint.get_absolute_url())


@login_required
@require_POST
def act(request, number):
    complaint = _visible(request, number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown step."))
        return redirect(complaint.get_absolute_url())
    try:
        services.COMPLAINT_WORKFLOW.transition(
            complaint, form.cleaned_data["to"], actor=request.user,
            reason=form.cleaned_data["reason"], request=request)
    except DomainError as error:
        show_error(request, error)
        return redirect(complaint.get_absolute_url())
    return _done(request, complaint, _("%(number)s is now “%(state)s”.") % {
        "number": complaint.number, "state": ComplaintState(complaint.state).label})


@login_required
@require_POST
def feedback(request, number):
    complaint = _visible(request, number)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether you are satisfied with the outcome."))
        return redirect(complaint.get_absolute_url())
    try:
        services.give_feedback(complaint, actor=request.user,
                               feedback=form.cleaned_data["feedback"],
                               satisfied=form.cleaned_data["satisfied"])
    except DomainError as error:
        show_error(request, error)
        return redirect(complaint.get_absolute_url())
    return _done(request, complaint, _("Thank you: the case is closed."))


@login_required
@require_POST
def add(request, number):
    complaint = _visible(request, number)
    form = AdditionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_information(complaint, actor=request.user,
                                     text=form.cleaned_data["text"],
                                     files=form.cleaned_data["evidence"], request=request)
        except DomainError as error:
            show_error(request, error)
        else:
            return _done(request, complaint, _("Your information was added to the case."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
    return redirect(complaint.get_absolute_url())


def _text_action(service, done_text):
    @login_required
    @require_POST
    def view(request, number):
        complaint = _visible(request, number)
        form = TextForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write something first."))
            return redirect(complaint.get_absolute_url())
        try:
            service(complaint, actor=request.user, text=form.cleaned_data["text"],
                    request=request)
        except DomainError as error:
            show_error(request, error)
            return redirect(complaint.get_absolute_url())
        return _done(request, complaint, done_text())

    return view


note = _text_action(services.add_note, lambda: _("The note was added."))
share = _text_action(services.share_with_party,
                     lambda: _("The text was shared with the party complained about."))


@login_required
@require_POST
def take_over(request, number):
    complaint = _visible(request, number)
    try:
        services.take_over(complaint, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
        return redirect(complaint.get_absolute_url())
    return _done(request, complaint, _("The Torch Center now handles this case."))


@login_required
@require_POST
def assign_reviewer(request, number):
    complaint = _visible(request, number)
    if not permissions.can_assign_reviewer(request.user, complaint):
        raise Http404
    form = ReviewerForm(request.POST, candidates=services.reviewer_candidates(complaint))
    if not form.is_valid():
        messages.error(request, _("This person cannot review the re-check."))
        return redirect(complaint.get_absolute_url())
    try:
        services.assign_reviewer(complaint, actor=request.user,
                                 reviewer=form.cleaned_data["reviewer"], request=request)
    except DomainError as error:
        show_error(request, error)
        return redirect(complaint.get_absolute_url())
    return _done(request, complaint, _("The reviewer was assigned."))


@login_required
def audit_export(request, number):
    """The audit-log entries of the case and of what it is about, as CSV."""
    complaint = _visible(request, number)
    if not permissions.can_export_audit(request.user, complaint):
        raise Http404
    entries = services.audit_entries(complaint)
    services.log_audit_export(complaint, actor=request.user, request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{complaint.number}-audit.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("sequence"), _("time"), _("actor"), _("action"), _("object"),
                     _("from state"), _("to state"), _("result"), _("hash")])
    for entry in entries:
        writer.writerow([entry.sequence, entry.timestamp.isoformat(), entry.actor_label,
                         entry.action, entry.object_repr, entry.from_state, entry.to_state,
                         entry.result, entry.entry_hash])
    return response


@login_required
def party(request, number):
    """What the party complained about sees: what staff shared, and a way to answer."""
    complaint = get_object_or_404(Complaint, number=number)
    if not permissions.can_view_as_party(request.user, complaint):
        raise Http404
    form = TextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_as_party(complaint, actor=request.user,
                                      text=form.cleaned_data["text"], request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your answer was sent to the staff handling the case."))
            return redirect("complaints:party", number=complaint.number)
    entries = complaint.entries.filter(
        kind__in=[EntryKind.SHARED, EntryKind.RESPONSE]).select_related("author")
    entries = [entry for entry in entries
               if entry.kind == EntryKind.SHARED or entry.author_id == request.user.pk]
    return render(request, "complaints/party.html", {
        "complaint": complaint, "entries": entries, "form": form,
        "may_respond": permissions.can_respond_as_party(request.user, complaint),
    })


# --- disputes -----------------------------------------------------------------------------------
@login_required
def dispute_create(request):
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.file_dispute(filer=request.user, request=request,
                                            **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The dispute was filed as case %(number)s.")
                             % {"number": dispute.number})
            return redirect(dispute.get_absolute_url())
    return render(request, "complaints/dispute_form.html", {"form": form})


def _visible_dispute(request, number):
    dispute = get_object_or_404(Dispute.objects.select_related("host_unit", "side_a", "side_b"),
                                number=number)
    if not permissions.can_view_dispute(request.user, dispute):
        raise Http404
    return dispute


@login_required
def dispute_detail(request, number):
    dispute = _visible_dispute(request, number)
    user = request.user
    return render(request, "complaints/dispute_detail.html", {
        "dispute": dispute, "positions": dispute.positions.select_related("author"),
        "mediations": dispute.mediations.select_related("mediator"),
        "transitions": dispute.transitions.select_related("actor"),
        "position_form": TextForm() if permissions.can_state_position(user, dispute) else None,
        "mediation_form": MediationForm() if permissions.can_record_mediation(user, dispute)
        else None,
        "close_form": DisputeCloseForm() if services.DISPUTE_WORKFLOW.available(user, dispute)
        and dispute.state == "mediation" else None,
    })


@login_required
@require_POST
def dispute_position(request, number):
    dispute = _visible_dispute(request, number)
    form = TextForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ComplaintError(_("Write your position."))
        services.state_position(dispute, actor=request.user, text=form.cleaned_data["text"],
                                request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your position was recorded."))
    return redirect(dispute.get_absolute_url())


@login_required
@require_POST
def dispute_mediation(request, number):
    dispute = _visible_dispute(request, number)
    form = MediationForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ComplaintError(_("Give the date and what was discussed."))
        services.record_mediation(dispute, actor=request.user, request=request,
                                  **form.cleaned_data)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The mediation was recorded."))
    return redirect(dispute.get_absolute_url())


@login_required
@require_POST
def dispute_close(request, number):
    dispute = _visible_dispute(request, number)
    form = DisputeCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ComplaintError(_("Write the outcome of the mediation."))
        services.close_dispute(dispute, actor=request.user,
                               settled=form.cleaned_data["settled"],
                               outcome=form.cleaned_data["outcome"])
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The dispute is closed."))
    return redirect(dispute.get_absolute_url())
