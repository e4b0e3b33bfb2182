"""The public side of demands: list with search and filters, detail, access requests, the
full details for granted challengers, the owner's access page, messages, national publishing
and the CSV export.

Public pages render :class:`demands.public.projection.PublicDemand` only, never a model. The
list and detail pages come from the shared page cache (:mod:`common.page_cache`, in the namespace of
:mod:`demands.public.cache`): their bodies for everyone, the whole response for anonymous
visitors.
"""

import csv
import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import is_challenger, is_torch_staff
from common.errors import DomainError, show_error

from .. import permissions
from ..models import AccessRequest, Demand
from ..services import access
from ..services.national import set_national
from . import search
from .cache import PUBLIC_PAGES
from .forms import AccessRequestForm, DemandFilterForm
from .projection import (
    PUBLIC_STATES,
    for_projection,
    from_snapshot,
    project,
    public_demands,
)

PAGE_SIZE = 20


def _current_contest():
    from contests.selectors import current_contest

    return current_contest()


def _public_demand_or_404(ref):
    queryset = for_projection(Demand.objects.filter(status__in=PUBLIC_STATES))
    return get_object_or_404(queryset.select_related("host_unit__event__contest"), ref=ref)


# --- list -------------------------------------------------------------------------------------
def _filtered(request):
    """The filter form, the filtered public demands (unordered, unsearched) and the query."""
    contest = _current_contest()
    form = DemandFilterForm(request.GET or None, contest=contest)
    if form.is_bound:
        form.is_valid()  # invalid filters drop out of cleaned_data; the rest apply
    query = form.cleaned_data.get("q", "") if form.is_bound else ""
    return form, form.filtered(public_demands(), contest), query


def _ordered(queryset, query, *, rank_all=False):
    """Best matches first for a search (the best of the newest few hundred, or of all with
    ``rank_all``), else newest first."""
    if query:
        return search.search(queryset, query, rank_all=rank_all)
    return queryset.order_by("-published_at", "-pk")


class _CountedPaginator(Paginator):
    """A paginator told its count (cached), so that it does not run ``COUNT(*)``.

    Right after a change the count may be a moment old (``PageCache.remember`` with single
    flight serves the previous one while it is recomputed), so the page's rows are never cut
    by it: a page reads up to ``per_page`` rows whatever the count says, and the rows it finds
    correct the count (a short page is the last one)."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page])
        seen = bottom + len(rows)
        count = seen if len(rows) < self.per_page and (rows or bottom == 0) else max(
            self.count, seen)
        if count != self.count:
            self.__dict__["count"] = count
            for name in ("num_pages", "page_range"):
                self.__dict__.pop(name, None)
        return self._get_page(rows, number, self)


def _cached_count(form, compute):
    """``compute()``, cached per set of valid filters until anything public changes: counting
    reads every matching row, the page only twenty."""
    data = sorted((name, value) for name, value in (form.cleaned_data.items()
                                                    if form.is_bound else ())
                  if value not in (None, ""))
    digest = hashlib.sha256(json.dumps(data, default=str, ensure_ascii=False).encode())
    # Right after a publish, one request recounts while the others show the previous count.
    return PUBLIC_PAGES.remember("count", (digest.hexdigest(),), compute, single_flight=True)


def _list_context(request):
    form, queryset, query = _filtered(request)
    snapshots = _ordered(queryset, query).values_list("public_snapshot", flat=True)
    if query:
        # The best matches among the newest few hundred (demands.public.search), counted cheaply;
        # CANDIDATE_CAP or more means the search was cut short.
        paginator = Paginator(snapshots, PAGE_SIZE)
    else:
        paginator = _CountedPaginator(snapshots, PAGE_SIZE,
                                      count=_cached_count(form, queryset.count))
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form, "rows": [from_snapshot(snapshot) for snapshot in page.object_list],
        "page_obj": page, "query": query,
        "cut_short": bool(query) and paginator.count >= search.CANDIDATE_CAP,
        "candidate_cap": search.CANDIDATE_CAP,
        "query_string": params.urlencode(), "export_query": params.urlencode(),
    }


@PUBLIC_PAGES.anonymous_page("list")
def demand_list(request):
    body = PUBLIC_PAGES.cached_body(request, "list", lambda: render_to_string(
        "demands/public/list_body.html", _list_context(request), request=request))
    return render(request, "demands/public/list.html", {"body": body})


# --- detail -----------------------------------------------------------------------------------
def _private_url(ref):
    try:
        return reverse("demands:manage_detail", kwargs={"ref": ref})
    except NoReverseMatch:
        return ""


def _actions(request, ref, demand=None):
    """What the signed-in user may do on the detail page (never cached). ``demand`` is loaded
    here when the body came from the cache."""
    user = request.user
    context = {"ref": ref, "next": request.get_full_path()}
    if not user.is_authenticated:
        return context
    if demand is None:
        demand = _public_demand_or_404(ref)
    context.update({
        "private_url": _private_url(ref) if permissions.can_view_full_demand(user, demand)
        else "",
        "can_see_access_log": permissions.can_see_access_log(user, demand),
        "is_torch_staff": is_torch_staff(user),
        "national": demand.national,
        "is_open": demand.status == PUBLIC_STATES[0],
        "is_challenger": is_challenger(user),
        "access_state": access.access_state(user, demand),
    })
    return context


@PUBLIC_PAGES.anonymous_page("detail")
def demand_detail(request, ref):
    demand = None

    def build():
        nonlocal demand
        demand = _public_demand_or_404(ref)
        return render_to_string("demands/public/detail_body.html",
                                {"demand": project(demand)}, request=request)

    body = PUBLIC_PAGES.cached_body(request, "detail", build)
    return render(request, "demands/public/detail.html", {
        "body": body, **_actions(request, ref, demand),
    })


# --- access -----------------------------------------------------------------------------------
def _gate_agreements(view):
    from accounts.agreements import agreements_required

    return agreements_required(view)


@_gate_agreements
def request_access(request, ref):
    """The page and form to ask for the hidden details (NDA and disclaimer signed first)."""
    demand = _public_demand_or_404(ref)
    public = project(demand)
    state = access.access_state(request.user, demand)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access.request_access(demand, user=request.user,
                                  message=form.cleaned_data["message"], request=request)
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, gettext("Your request has been sent to the owner."))
            return redirect("demands:detail", ref=ref)
    return render(request, "demands/public/access_request.html", {
        "demand": public, "form": form, "access_state": state,
        "is_challenger": is_challenger(request.user),
    })


@never_cache
@login_required
def demand_full(request, ref):
    """The hidden details, for a challenger whose access was granted; for another challenger,
    the page that explains the NDA and offers the request; 404 for everyone else. Every
    opening is logged with the NDA version signed."""
    demand = _public_demand_or_404(ref)
    if not permissions.is_granted_challenger(request.user, demand):
        if is_challenger(request.user):
            # A challenger may ask: explain the NDA and offer the request instead of a bare
            # 404 (the page says nothing the public detail page does not).
            return render(request, "demands/public/full_explained.html", {
                "demand": project(demand),
                "access_state": access.access_state(request.user, demand),
                "signed": access.has_signed_agreements(request.user, demand),
            })
        raise Http404
    if not access.has_signed_agreements(request.user, demand):
        from accounts.agreements import sign_url

        return redirect(sign_url(request.get_full_path()))
    access.record_hidden_view(demand, user=request.user, request=request)
    return render(request, "demands/public/full.html", {
        "details": access.full_details(demand),
    })


def _access_page_demand(request, ref):
    demand = get_object_or_404(
        Demand.objects.select_related("host_unit__event__contest", "organisation"), ref=ref)
    if not permissions.can_see_access_log(request.user, demand):
        raise Http404
    return demand


@never_cache
@login_required
def access_manage(request, ref):
    """For the owner's administrators and the host unit's staff (Torch staff read): the
    requests to decide and who opened the hidden details, when, under which NDA version."""
    demand = _access_page_demand(request, ref)
    return render(request, "demands/public/access_manage.html", {
        "ref": demand.ref,
        "title": demand.title,
        "public_url": demand.get_absolute_url() if demand.status in PUBLIC_STATES else "",
        "private_url": _private_url(demand.ref)
        if permissions.can_view_full_demand(request.user, demand) else "",
        "can_decide": permissions.can_manage_access(request.user, demand),
        "requests": access.access_requests_of(demand),
        "views": access.hidden_view_log(demand),
    })


DECISIONS = {
    "grant": (access.grant_access, _("Access granted.")),
    "decline": (access.decline_access, _("Request declined.")),
    "revoke": (access.revoke_access, _("Access revoked.")),
}


@require_POST
@login_required
def access_decide(request, ref, pk):
    demand = _access_page_demand(request, ref)
    access_request = get_object_or_404(AccessRequest, pk=pk, demand=demand)
    decision = DECISIONS.get(request.POST.get("decision", ""))
    if decision is None:
        messages.error(request, gettext("Choose grant, decline or revoke."))
        return redirect("demands:access_manage", ref=ref)
    service, done = decision
    try:
        service(access_request, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, done)
    return redirect("demands:access_manage", ref=ref)


@require_POST
@login_required
def toggle_national(request, ref):
    demand = get_object_or_404(Demand, ref=ref, status__in=PUBLIC_STATES)
    if not is_torch_staff(request.user):
        raise Http404
    national = request.POST.get("national") == "1"
    try:
        set_national(demand, actor=request.user, national=national, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, gettext("Marked for national publishing.") if national
                         else gettext("Removed from national publishing."))
    return redirect("demands:detail", ref=ref)


# --- export -----------------------------------------------------------------------------------
class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    """The public projections of the (filtered) list as CSV, newest first (or best first for a
    search), streamed."""
    from .export import PublicDemandResource

    _form, queryset, query = _filtered(request)
    # A download holds every match, not only those the page lists.
    snapshots = _ordered(queryset, query, rank_all=True).values_list("public_snapshot",
                                                                     flat=True)
    resource = PublicDemandResource()
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # Excel reads UTF-8 only with the byte-order mark
        yield writer.writerow(resource.get_export_headers())
        for snapshot in snapshots.iterator(chunk_size=500):
            yield writer.writerow(resource.export_resource(from_snapshot(snapshot)))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="demands-{stamp}.csv"'
    return response
