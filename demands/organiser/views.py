"""Host staff's pages for demands: the demands of their units, entering a demand on a company's
behalf, and assigning experts. Every write goes through ``demands.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.agreements import current_agreement
from accounts.enums import AgreementKind
from accounts.models import AgreementSignature, Organisation
from common.errors import DomainError, show_error
from contests.permissions import staffed_host_unit_ids

from .. import permissions, selectors, services
from ..forms import AssignExpertsForm, ManageFilterForm
from ..views import demand_form_page, page_of, visible_demand


@login_required
def manage_list(request):
    """The organisers' list: the demands of their host units, filtered by status and unit."""
    if not permissions.can_manage_demands(request.user):
        raise Http404
    units = selectors.managed_host_units(request.user)
    form = ManageFilterForm(request.GET or None, host_units=units)
    status, unit = "", None
    if form.is_valid():
        status = form.cleaned_data["status"]
        unit = form.cleaned_data["host_unit"]
    page = page_of(request, selectors.managed_demands(request.user, status=status,
                                                    host_unit=unit))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "demands/manage_list.html", {
        "page_obj": page, "demands": page.object_list, "filter_form": form,
        "query_string": query.urlencode(),
        "may_enter": bool(staffed_host_unit_ids(request.user)),
    })


@login_required
def host_create(request):
    """Host staff enter a demand on a company's behalf."""
    unit_ids = staffed_host_unit_ids(request.user)
    if not unit_ids:
        raise Http404
    return demand_form_page(
        request, demand=None, organisations=Organisation.objects.order_by("name"),
        host_units=selectors.current_host_units().filter(pk__in=unit_ids),
        entered_by_host=True,
    )


def _nda_signed_ids(contest, candidates):
    nda = current_agreement(contest, AgreementKind.NDA)
    if nda is None:
        return frozenset()
    return frozenset(AgreementSignature.objects.filter(agreement=nda, user__in=candidates)
                     .values_list("user_id", flat=True))


@login_required
def assign_experts(request, ref):
    demand = visible_demand(request, ref)
    if not permissions.is_reviewer(request.user, demand):
        raise Http404
    if not request.user.has_perm("demands.assign_experts", demand):
        messages.error(request, _("Experts can be assigned only to a submitted demand or one in "
                                  "analysis."))
        return redirect(demand.get_private_url())
    candidates = selectors.expert_candidates(demand)
    signed = _nda_signed_ids(demand.host_unit.event.contest, candidates)
    form = AssignExpertsForm(request.POST or None, candidates=candidates, signed_ids=signed)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_experts(demand, form.cleaned_data["experts"], actor=request.user)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Experts assigned."))
            return redirect(demand.get_private_url())
    return render(request, "demands/assign_experts.html", {"demand": demand, "form": form})
