"""Award pages: host staff make an award from a live round; both sides acknowledge the clause;
the demand side records the payment with its proof; the challenger confirms receipt. A denial
is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organisation
from common.errors import DomainError, show_error
from files.enums import FileKind
from files.services import store_upload
from matching.models import LiveRound

from . import permissions, selectors, services
from .enums import AwardState
from .forms import (
    AssignForm,
    AwardForm,
    ContractForm,
    FlagForm,
    OutcomeForm,
    PaymentForm,
    RatingForm,
    ServiceForm,
)
from .models import Award


def _award(request, pk):
    award = get_object_or_404(Award.objects.select_related("recipient", "payer", "demand",
                                                           "host_unit", "proof"), pk=pk)
    if not request.user.has_perm("awards.view_award", award):
        raise Http404
    return award


@login_required
@require_safe
def award_list(request):
    page_obj = Paginator(selectors.for_list(selectors.awards_visible_to(request.user)),
                         25).get_page(request.GET.get("page"))
    return render(request, "awards/list.html", {"page_obj": page_obj,
                                                "awards": page_obj.object_list})


@login_required
def award_create(request, round_pk):
    live_round = get_object_or_404(LiveRound.objects.select_related("demand"), pk=round_pk)
    if not request.user.has_perm("matching.change_liveround", live_round):
        raise Http404
    recipients = Organisation.objects.filter(round_entries__round=live_round).order_by("name")
    initial = {"recipient": live_round.selected_entry.organisation_id
               if live_round.selected_entry_id else None,
               "title": _("Prize of the live round “%(title)s”") % {"title": live_round.title}}
    form = AwardForm(request.POST or None, recipients=recipients, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.make_award(live_round.demand, data["recipient"],
                                        title=data["title"], amount=data["amount"],
                                        due_on=data["due_on"], live_round=live_round,
                                        actor=request.user, request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The award is made; both sides are asked to "
                                        "acknowledge its clause."))
            return redirect(award.get_absolute_url())
    return render(request, "awards/form.html", {"form": form, "round": live_round})


@login_required
@require_safe
def award_detail(request, pk):
    award = _award(request, pk)
    user = request.user
    payer, recipient = permissions.is_payer(user, award), permissions.is_recipient(user, award)
    return render(request, "awards/detail.html", {
        "award": award,
        "may_acknowledge": award.state == AwardState.OFFERED and (
            (payer and not award.payer_ack_at) or (recipient and not award.recipient_ack_at)),
        "payment_form": PaymentForm() if permissions.can_record_payment(user, award) else None,
        "may_confirm": permissions.can_confirm_receipt(user, award),
        "transitions": award.transitions.select_related("actor").order_by("at"),
    })


@login_required
@require_POST
def award_acknowledge(request, pk):
    award = _award(request, pk)
    if request.POST.get("clause") != "read":
        messages.error(request, _("Tick the box to acknowledge the clause."))
        return redirect(award.get_absolute_url())
    try:
        services.acknowledge(award, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your acknowledgement is recorded."))
    return redirect(award.get_absolute_url())


@login_required
@require_POST
def award_payment(request, pk):
    award = _award(request, pk)
    form = PaymentForm(request.POST, request.FILES)
    if not permissions.can_record_payment(request.user, award):
        messages.error(request, _("Only the demand side records the payment, once the clause "
                                  "is acknowledged."))
        return redirect(award.get_absolute_url())
    if form.is_valid():
        data = form.cleaned_data
        try:
            proof = store_upload(data["proof"], kind=FileKind.ATTACHMENT,
                                 uploaded_by=request.user, attach_to=award)
            services.record_payment(award, paid_on=data["paid_on"],
                                    amount=data["paid_amount"], proof=proof,
                                    actor=request.user, request=request)
        except ValidationError as error:
            form.add_error("proof", error)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The payment is recorded; the challenger is asked to "
                                        "confirm receipt."))
            return redirect(award.get_absolute_url())
    return render(request, "awards/detail.html", {
        "award": award, "payment_form": form, "may_acknowledge": False, "may_confirm": False,
        "transitions": award.transitions.select_related("actor").order_by("at")}, status=400)


@login_required
@require_POST
def award_receipt(request, pk):
    award = _award(request, pk)
    try:
        services.confirm_receipt(award, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Receipt confirmed."))
    return redirect(award.get_absolute_url())


# --- technology contracts ------------------------------------------------------------------------
@login_required
@require_safe
def contract_list(request):
    queryset = (selectors.contracts_visible_to(request.user)
                .select_related("agreement__partner", "host_unit").order_by("-signed_on", "-pk"))
    page_obj = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "awards/contracts.html", {"page_obj": page_obj,
                                                     "contracts": page_obj.object_list})


@login_required
def contract_create(request, agreement_pk):
    from matching.models import IntentionAgreement

    agreement = get_object_or_404(IntentionAgreement.objects.select_related("demand", "partner"),
                                  pk=agreement_pk)
    if not request.user.has_perm("matching.view_intentionagreement", agreement):
        raise Http404
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.register_contract(agreement, actor=request.user,
                                                  request=request, **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The contract is registered."))
            return redirect(contract.get_absolute_url())
    return render(request, "awards/contract_form.html", {"form": form, "agreement": agreement})


def _contract(request, pk):
    from .models import TechnologyContract

    contract = get_object_or_404(TechnologyContract.objects.select_related(
        "agreement__partner", "agreement__demand", "host_unit", "registered_by"), pk=pk)
    if not request.user.has_perm("awards.view_technologycontract", contract):
        raise Http404
    return contract


@login_required
@require_safe
def contract_detail(request, pk):
    contract = _contract(request, pk)
    flag_form = None
    if permissions.can_flag_contract(request.user, contract):
        flag_form = FlagForm(initial={"priority": contract.priority,
                                      "note": contract.priority_note})
    return render(request, "awards/contract_detail.html",
                  {"contract": contract, "flag_form": flag_form})


@login_required
@require_POST
def contract_flag(request, pk):
    contract = _contract(request, pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            services.flag_contract(contract, priority=form.cleaned_data["priority"],
                                   note=form.cleaned_data["note"], actor=request.user,
                                   request=request)
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Saved."))
    return redirect(contract.get_absolute_url())


# --- service requests -----------------------------------------------------------------------------
@login_required
@require_safe
def service_list(request):
    queryset = (selectors.services_visible_to(request.user)
                .select_related("host_unit", "provider", "requester").order_by("-created_at",
                                                                                "-pk"))
    page_obj = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "awards/services.html", {"page_obj": page_obj,
                                                    "services": page_obj.object_list})


@login_required
def service_create(request):
    from contests.models import HostUnit

    form = ServiceForm(request.POST or None, host_units=HostUnit.objects.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            service = services.ask_service(actor=request.user, request=request,
                                           **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your request is sent to the host unit."))
            return redirect(service.get_absolute_url())
    return render(request, "awards/service_form.html", {"form": form})


def _providers():
    from accounts.enums import OrganisationKind

    return Organisation.objects.filter(kind=OrganisationKind.SERVICE_AGENCY).order_by("name")


def _service(request, pk):
    from .models import ServiceRequest

    service = get_object_or_404(ServiceRequest.objects.select_related(
        "host_unit", "provider", "requester"), pk=pk)
    if not request.user.has_perm("awards.view_servicerequest", service):
        raise Http404
    return service


@login_required
@require_safe
def service_detail(request, pk):
    from .enums import ServiceState

    service = _service(request, pk)
    user = request.user
    return render(request, "awards/service_detail.html", {
        "service": service,
        "assign_form": AssignForm(providers=_providers())
        if service.state == ServiceState.SUBMITTED
        and permissions.can_assign_service(user, service) else None,
        "outcome_form": OutcomeForm() if service.state == ServiceState.ASSIGNED
        and permissions.can_complete_service(user, service) else None,
        "rating_form": RatingForm() if service.state == ServiceState.COMPLETED
        and service.rating is None and service.requester_id == user.pk else None,
        "transitions": service.transitions.select_related("actor").order_by("at"),
    })


@login_required
@require_POST
def service_step(request, pk):
    """Assign (host staff), complete (provider or host staff) or rate (the requester)."""
    service = _service(request, pk)
    step = request.POST.get("step")
    try:
        if step == "assign":
            form = AssignForm(request.POST, providers=_providers())
            if form.is_valid():
                services.assign_service(service, form.cleaned_data["provider"],
                                        actor=request.user, request=request)
        elif step == "complete":
            form = OutcomeForm(request.POST)
            if form.is_valid():
                services.complete_service(service, outcome=form.cleaned_data["outcome"],
                                          actor=request.user, request=request)
        else:
            form = RatingForm(request.POST)
            if form.is_valid():
                services.rate_service(service, rating=form.cleaned_data["rating"],
                                      comment=form.cleaned_data["comment"],
                                      actor=request.user, request=request)
        if not form.is_valid():
            messages.error(request, _("Check the form: %(errors)s") % {
                "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)})
        else:
            messages.success(request, _("Saved."))
    except DomainError as error:
        show_error(request, error)
    return redirect(service.get_absolute_url())


# --- follow-ups -----------------------------------------------------------------------------------
@login_required
@require_safe
def follow_up_list(request):
    queryset = (selectors.follow_ups_visible_to(request.user)
                .select_related("agreement__demand", "agreement__partner").order_by("due_on",
                                                                                     "pk"))
    page_obj = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, "awards/follow_ups.html", {"page_obj": page_obj,
                                                      "follow_ups": page_obj.object_list})


def _follow_up(request, pk):
    from .models import FollowUp

    follow_up = get_object_or_404(FollowUp.objects.select_related(
        "agreement__demand", "agreement__partner", "host_unit"), pk=pk)
    if not request.user.has_perm("awards.view_followup", follow_up):
        raise Http404
    return follow_up


@login_required
def follow_up_detail(request, pk):
    from .forms import EvaluationForm, ProgressForm

    follow_up = _follow_up(request, pk)
    user = request.user
    progress_form = evaluation_form = None
    if permissions.can_report_follow_up(user, follow_up) and not follow_up.evaluated_at:
        progress_form = ProgressForm(
            request.POST if request.POST.get("step") == "report" else None,
            initial={"contract_value": follow_up.contract_value,
                     "patents_filed": follow_up.patents_filed,
                     "products_launched": follow_up.products_launched,
                     "jobs_created": follow_up.jobs_created, "progress": follow_up.progress})
    if permissions.can_evaluate_follow_up(user, follow_up) and follow_up.reported_at:
        evaluation_form = EvaluationForm(
            request.POST if request.POST.get("step") == "evaluate" else None,
            initial={"evaluation": follow_up.evaluation})
    if request.method == "POST":
        form = progress_form if request.POST.get("step") == "report" else evaluation_form
        if form is None:
            messages.error(request, _("You may not take this step of the follow-up."))
            return redirect(follow_up.get_absolute_url())
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if form is progress_form:
                    text = data.pop("progress")
                    services.report_progress(follow_up, figures=data, progress=text,
                                             actor=user, request=request)
                else:
                    services.evaluate_follow_up(follow_up, evaluation=data["evaluation"],
                                                actor=user, request=request)
            except DomainError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("Saved."))
                return redirect(follow_up.get_absolute_url())
    return render(request, "awards/follow_up.html", {
        "follow_up": follow_up, "progress_form": progress_form,
        "evaluation_form": evaluation_form})
