"""Pages of the collection side: the company's demands and the experts' analysis, and the
private demand page that owners, host staff and experts share (host staff's own pages are in
``demands.organiser``). Every write goes through ``demands.services``; a refused operation
comes back as a message, and a demand the user may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.agreements import (
    agreements_required,
    has_signed_current,
    sign_url,
)
from accounts.enums import AgreementKind, MembershipState, RoleCode
from accounts.models import Organisation
from common.concurrency import StaleEdit
from common.errors import DomainError, show_error
from common.masking import mask_email, mask_mobile
from contests.permissions import staffed_host_unit_ids
from files.selectors import files_for_object

from . import permissions, selectors, services
from .diff import proposal_rows
from .enums import (
    CooperationMode,
    DemandStatus,
    OutcomeForm,
    ProposalState,
)
from .forms import (
    AnalysisForm,
    DemandForm,
    IndicatorFormSet,
    TransitionForm,
    WordingProposalForm,
    indicator_initial,
)
from .models import Demand, WordingProposal
from .public import projection as public
from .services import contacts

PAGE_SIZE = 25

# Edges offered as buttons on the detail page; the others have their own pages (submitting
# goes through the preview, expert analysis starts with the assignment).
BUTTON_EDGES = (DemandStatus.APPROVED, DemandStatus.RETURNED, DemandStatus.REJECTED,
                DemandStatus.PUBLISHED, DemandStatus.CLOSED, DemandStatus.WITHDRAWN)
ACTION_LABELS = {
    DemandStatus.APPROVED: pgettext_lazy("demand action", "Approve"),
    DemandStatus.RETURNED: pgettext_lazy("demand action", "Return for revision"),
    DemandStatus.REJECTED: pgettext_lazy("demand action", "Reject"),
    DemandStatus.PUBLISHED: pgettext_lazy("demand action", "Publish"),
    DemandStatus.CLOSED: pgettext_lazy("demand action", "Close"),
    DemandStatus.WITHDRAWN: pgettext_lazy("demand action", "Withdraw"),
}
# Edges that need a reason.
COMMENTED_EDGES = (DemandStatus.RETURNED, DemandStatus.REJECTED)


def visible_demand(request, ref):
    """The demand ``ref`` if the user may open its private page; 404 otherwise."""
    try:
        return selectors.demand_detail(request.user, ref)
    except Demand.DoesNotExist:
        raise Http404 from None


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- lists ------------------------------------------------------------------------------------
@login_required
def my_demands(request):
    """The demands of the user's organisations."""
    page = page_of(request, selectors.owner_demands(request.user))
    return render(request, "demands/my_list.html", {
        "page_obj": page, "demands": page.object_list,
        "may_create": _creator_organisations(request.user).exists(),
    })


@login_required
def assigned_list(request):
    """The demands an expert is assigned to."""
    if not selectors.acts_as_expert(request.user):
        raise Http404
    page = page_of(request, selectors.assigned_demands(request.user))
    return render(request, "demands/assigned_list.html", {"page_obj": page,
                                                          "demands": page.object_list})


# --- writing a demand -------------------------------------------------------------------------
def _creator_organisations(user):
    """Organisations the user may file demands for: active memberships, demand-company role."""
    if RoleCode.DEMAND_COMPANY not in user.role_codes():
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user,
                                       memberships__state=MembershipState.ACTIVE).order_by("name")


@login_required
def create(request):
    """A company member starts a demand."""
    organisations = _creator_organisations(request.user)
    if not organisations.exists():
        messages.error(request, _("To post a demand, act as a demand company and be an active "
                                  "member of an organisation; both are set in your workspace."))
        return redirect("accounts:dashboard")
    return demand_form_page(request, demand=None, organisations=organisations,
                             host_units=selectors.current_host_units(), entered_by_host=False)


@login_required
def edit(request, ref):
    demand = visible_demand(request, ref)
    if not permissions.is_author(request.user, demand):
        raise Http404
    if not request.user.has_perm("demands.change_demand", demand):
        messages.error(request, _("A demand that is “%(status)s” can no longer be edited.")
                       % {"status": demand.get_status_display()})
        return redirect(demand.get_private_url())
    # The reference carries the event number: the unit may change within the event only.
    units = selectors.current_host_units().filter(event_id=demand.host_unit.event_id)
    if demand.entered_by_host and not permissions.is_owner_member(request.user, demand):
        units = units.filter(Q(pk__in=staffed_host_unit_ids(request.user))
                             | Q(pk=demand.host_unit_id))
    return demand_form_page(request, demand=demand, organisations=None, host_units=units,
                             entered_by_host=demand.entered_by_host)


def demand_form_page(request, *, demand, organisations, host_units, entered_by_host):
    """The create/edit page. "Save draft" accepts incomplete data; "Check and preview" asks
    for everything submitting needs and goes on to the preview. On any error the page comes
    back with everything typed."""
    if request.method == "POST":
        mode = "full" if request.POST.get("action") == "preview" else "draft"
        form = DemandForm(request.POST, request.FILES, mode=mode, organisations=organisations,
                          host_units=host_units, demand=demand)
        formset = IndicatorFormSet(request.POST, prefix="indicators", mode=mode)
        if form.is_valid() and formset.is_valid():
            try:
                if demand is None:
                    demand = services.create_demand(
                        actor=request.user, organisation=form.cleaned_data["organisation"],
                        host_unit=form.cleaned_data["host_unit"], fields=form.content(),
                        indicators=formset.rows(), entered_by_host=entered_by_host,
                        uploads=form.uploads(),
                    )
                else:
                    demand = services.update_demand(
                        demand, actor=request.user, fields=form.content(),
                        indicators=formset.rows(), host_unit=form.cleaned_data["host_unit"],
                        uploads=form.uploads(), edit_token=form.submitted_edit_token(),
                    )
            except StaleEdit as error:
                form.refuse_stale(error)
            except DomainError as error:
                show_error(request, error, form)
            else:
                if mode == "full":
                    return redirect("demands:preview", ref=demand.ref)
                messages.success(request, _("Draft %(ref)s saved.") % {"ref": demand.ref})
                return redirect("demands:edit", ref=demand.ref)
    else:
        form = DemandForm(mode="full", organisations=organisations, host_units=host_units,
                          demand=demand)
        formset = IndicatorFormSet(initial=indicator_initial(demand), prefix="indicators",
                                   mode="full")
    return render(request, "demands/form.html", {
        "form": form, "formset": formset, "demand": demand, "entered_by_host": entered_by_host,
        "may_remove_attachments": (demand is not None
                                   and request.user.has_perm("demands.change_demand", demand)),
    })


@login_required
@require_POST
def remove_attachment(request, ref, key):
    """Remove one attachment (confirmed on the page that lists it) and go back to that page
    (the edit page or the detail page). Like the edit page, it is a 404 to anyone but the
    demand's authors; ``services.remove_attachment`` refuses other states with a message."""
    demand = selectors.demands_visible_to(request.user).filter(ref=ref).first()
    if demand is None or not permissions.is_author(request.user, demand):
        raise Http404
    private_file = files_for_object(demand).filter(uuid=key).first()
    if private_file is None:
        raise Http404
    try:
        services.remove_attachment(demand, private_file, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
        return redirect(demand.get_private_url())
    messages.success(request, _("The attachment “%(name)s” was removed.")
                     % {"name": private_file.original_name})
    if request.POST.get("back") == "edit":
        return redirect("demands:edit", ref=demand.ref)
    return redirect(demand.get_private_url())


@login_required
def preview(request, ref):
    """Exactly what the public will see once the demand is published, and what is still
    missing before it can be submitted."""
    demand = visible_demand(request, ref)
    may_submit = services.DEMAND_WORKFLOW.allows(request.user, demand, DemandStatus.SUBMITTED)
    return render(request, "demands/preview.html", {
        "demand": demand,
        "public": public.project(demand),
        "problems": services.submission_problems(demand) if may_submit else [],
        "may_submit": may_submit,
        "may_edit": request.user.has_perm("demands.change_demand", demand),
    })


# --- the workflow -----------------------------------------------------------------------------
@login_required
@require_POST
def change_status(request, ref):
    """One button per workflow edge; ``services.transition`` decides."""
    demand = visible_demand(request, ref)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return redirect(demand.get_private_url())
    to_status = form.cleaned_data["to_status"]
    if (to_status == DemandStatus.SUBMITTED and permissions.is_owner_member(request.user, demand)
            and not has_signed_current(request.user, demand.host_unit.event.contest)):
        # Seed 四(三): every participant signs the NDA and the disclaimer first.
        messages.info(request, _("Sign the non-disclosure agreement and the disclaimer, then "
                                 "submit the demand."))
        return redirect(sign_url(reverse("demands:preview", kwargs={"ref": demand.ref})))
    try:
        services.transition(demand, to_status, actor=request.user,
                            reason=form.cleaned_data["comment"])
    except DomainError as error:
        show_error(request, error)
        if to_status == DemandStatus.SUBMITTED:
            return redirect("demands:preview", ref=demand.ref)
    else:
        messages.success(request, _("%(ref)s is now “%(status)s”.")
                         % {"ref": demand.ref, "status": DemandStatus(to_status).label})
    return redirect(demand.get_private_url())


@login_required
def detail(request, ref):
    """The private full view: every field, hidden or not, the history, the experts' work and
    the actions this user may take."""
    demand = visible_demand(request, ref)
    user = request.user
    is_reviewer = permissions.is_reviewer(user, demand)
    is_owner = permissions.is_owner_member(user, demand)
    if not (is_reviewer or is_owner):
        services.record_acting_view(demand, user=user, request=request)
    buttons = [
        {"to_status": to, "label": ACTION_LABELS[to], "needs_comment": to in COMMENTED_EDGES}
        for to in BUTTON_EDGES
        if services.DEMAND_WORKFLOW.allows(user, demand, to)
    ]
    analyses = list(demand.analyses.all())
    if not is_reviewer:
        analyses = [a for a in analyses if a.expert_id == user.pk]
    proposals = list(demand.proposals.all())
    may_edit = user.has_perm("demands.change_demand", demand)
    return render(request, "demands/detail.html", {
        "demand": demand,
        "buttons": buttons,
        "is_owner": is_owner,
        "is_reviewer": is_reviewer,
        "may_edit": may_edit,
        "may_remove_attachments": may_edit,
        "may_edit_contact": permissions.is_author(user, demand),
        "may_submit": services.DEMAND_WORKFLOW.allows(user, demand, DemandStatus.SUBMITTED),
        "may_assign": user.has_perm("demands.assign_experts", demand),
        "may_analyse": user.has_perm("demands.write_analysis", demand),
        "may_propose": user.has_perm("demands.propose_wording", demand),
        "analyses": analyses,
        "proposals": proposals,
        "pending_proposals": [p for p in proposals if p.state == ProposalState.PROPOSED],
        **_full_body_context(demand),
    })


def _full_body_context(demand):
    """What ``demands/includes/full_body.html`` needs besides the demand."""
    return {
        "hidden_fields": set(demand.hidden_fields or []),
        "outcome_form_labels": _labels(OutcomeForm, demand.outcome_forms),
        "cooperation_mode_labels": _labels(CooperationMode, demand.cooperation_modes),
        "accepted_wording": [
            (capfirst(Demand._meta.get_field(name).verbose_name), text)
            for name, text in (demand.public_wording or {}).items()
            if name in services.WORDING_FIELDS
        ],
    }


def _labels(choices, values):
    return [choices(value).label for value in values or [] if value in choices.values]


# --- experts ----------------------------------------------------------------------------------
@agreements_required(AgreementKind.NDA)
def analysis(request, ref):
    """The assigned expert's 梳理分析, 综合建议 and verdict."""
    demand = visible_demand(request, ref)
    if not permissions.is_assigned_expert(request.user, demand):
        raise Http404
    if not request.user.has_perm("demands.write_analysis", demand):
        messages.error(request, _("The analysis can be written only while the demand is in "
                                  "expert analysis."))
        return redirect(demand.get_private_url())
    mine = next((a for a in demand.analyses.all() if a.expert_id == request.user.pk), None)
    initial = ({"analysis": mine.analysis, "recommendations": mine.recommendations,
                "verdict": mine.verdict} if mine else None)
    form = AnalysisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_analysis(demand, expert=request.user, **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your analysis of %(ref)s is saved.") % {"ref": demand.ref})
            return redirect(demand.get_private_url())
    return render(request, "demands/analysis_form.html", {"demand": demand, "form": form,
                                                          **_full_body_context(demand)})


# --- public wording ---------------------------------------------------------------------------
@login_required
def propose_wording(request, ref):
    demand = visible_demand(request, ref)
    if not (permissions.is_reviewer(request.user, demand)
            or permissions.is_assigned_expert(request.user, demand)):
        raise Http404
    if not request.user.has_perm("demands.propose_wording", demand):
        messages.error(request, _("A wording can be proposed only before the demand is "
                                  "published."))
        return redirect(demand.get_private_url())
    form = WordingProposalForm(request.POST or None, demand=demand)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_wording(demand, actor=request.user, texts=form.texts(),
                                     note=form.cleaned_data["note"])
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your proposal was sent to the owner."))
            return redirect(demand.get_private_url())
    return render(request, "demands/wording_form.html", {"demand": demand, "form": form,
                                                         **_full_body_context(demand)})


@login_required
def proposal(request, ref, pk):
    """A proposal as a difference against the current text; the owner accepts or declines."""
    demand = visible_demand(request, ref)
    item = get_object_or_404(WordingProposal.objects.select_related("proposed_by"), pk=pk,
                             demand=demand)
    may_decide = (item.state == ProposalState.PROPOSED
                  and request.user.has_perm("demands.decide_proposal", demand))
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("accept", "decline"):
            messages.error(request, _("Accept or decline the proposal."))
            return redirect("demands:proposal", ref=demand.ref, pk=item.pk)
        try:
            services.decide_proposal(item, actor=request.user, accept=decision == "accept")
        except DomainError as error:
            show_error(request, error)
            return redirect("demands:proposal", ref=demand.ref, pk=item.pk)
        messages.success(request, _("The proposal was accepted; the public will see the new "
                                    "wording.") if decision == "accept"
                         else _("The proposal was declined."))
        return redirect(demand.get_private_url())
    return render(request, "demands/proposal.html", {
        "demand": demand, "proposal": item, "rows": proposal_rows(demand, item),
        "may_decide": may_decide,
    })


# --- the contact person's consent (PIPL art. 23) -----------------------------------------------
@login_required
@require_POST
def contact_consent_request(request, ref):
    """The demand's authors send the consent link to the contact person again."""
    demand = visible_demand(request, ref)
    if not permissions.is_author(request.user, demand):
        raise Http404
    if demand.contact_consents_sharing or not demand.contact_email:
        messages.info(request, _("There is nothing to ask: consent is given, or the demand "
                                 "has no contact e-mail."))
    elif contacts.request_contact_consent(demand, actor=request.user, request=request):
        messages.success(request, _("The contact person was sent a link to confirm their "
                                    "consent."))
    else:
        messages.info(request, _("A link was sent a moment ago; try again in ten minutes."))
    return redirect(demand.get_private_url())


def contact_consent(request, token):
    """The page the contact person opens from the e-mailed link: what would be shared, with
    whom, and their answer. The link is the credential; a bad or stale one is a 404."""
    try:
        demand = contacts.demand_for_consent_token(token)
    except contacts.ConsentLinkInvalid:
        raise Http404 from None
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("agree", "decline"):
            messages.error(request, _("Choose whether you agree."))
        else:
            contacts.confirm_contact_consent(token, agree=decision == "agree", request=request)
            if decision == "agree":
                messages.success(request, _("Thank you: granted challengers may now see your "
                                            "phone and e-mail for this demand."))
            else:
                messages.success(request, _("Your phone and e-mail stay hidden from "
                                            "challengers."))
        return redirect(request.path)
    return render(request, "demands/contact_consent.html", {
        "demand": demand,
        "organisation": demand.organisation.name,
        "masked_mobile": mask_mobile(demand.contact_mobile),
        "masked_email": mask_email(demand.contact_email),
    })
