"""The dashboards: the national one for Torch staff (host organisers see the same for their own
units only), and a small one for companies and challengers. Figures are counted live from the
rows they summarise; every figure links to the list behind it."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.enums import MembershipState, RoleCode
from accounts.permissions import is_torch_staff
from complaints import selectors as complaint_selectors
from complaints.enums import OPEN_STATES
from contests.enums import WORK_PLAN_REVIEW_STATES, WorkPlanState
from contests.models import WorkPlan
from contests.permissions import staffed_host_unit_ids
from contests.selectors import summary_reports_pending
from demands.enums import AccessState, DemandStatus, ProposalState
from demands.models import AccessRequest, Demand, WordingProposal
from solutions import selectors as solution_selectors

from . import funnel, summary
from .charts import bar_chart

PAGE_SIZE = 50


def scope_of(user):
    """``None`` (national) for Torch staff, the ids of their units for host organisers;
    anyone else gets 404."""
    if is_torch_staff(user):
        return None
    units = staffed_host_unit_ids(user)
    if not units:
        raise Http404
    return units


def _drill_url(stage, dimension=None, key=None):
    query = {"by": dimension, "key": key} if dimension else {}
    url = reverse("dashboards:drill", kwargs={"stage": stage.key})
    return f"{url}?{urlencode(query)}" if query else url


def _supervision(user, unit_ids):
    """Complaints open and overdue, work plans and summary reports pending: figures with the
    list behind each."""
    handled = complaint_selectors.complaints_handled_by(user)
    today = timezone.localdate()
    plans = WorkPlan.objects.all()
    if unit_ids is not None:
        plans = plans.filter(host_unit_id__in=list(unit_ids))
        pending = plans.exclude(state=WorkPlanState.APPROVED)
        plans_url = reverse("contests:organiser_home")
        summaries_url = plans_url
    else:
        pending = plans.filter(state__in=WORK_PLAN_REVIEW_STATES)
        plans_url = reverse("contests:torch_work_plans")
        summaries_url = reverse("contests:torch_summaries") + "?status=awaiting_review"
    handle = reverse("complaints:handle")
    return [
        (_("Complaints open"), handled.filter(state__in=OPEN_STATES).count(), handle),
        (_("Complaints overdue"), complaint_selectors.overdue(handled, today=today).count(),
         f"{handle}?overdue=1"),
        (_("Complaints escalated to the Torch Center"),
         handled.filter(state__in=OPEN_STATES, escalated_at__isnull=False).count(),
         f"{handle}?escalated=1"),
        (_("Work plans pending") if unit_ids is not None
         else _("Work plans awaiting review"), pending.count(), plans_url),
        (_("Summary reports pending") if unit_ids is not None
         else _("Summary reports awaiting review"), summary_reports_pending(unit_ids),
         summaries_url),
    ]


def _view(request):
    dimension = request.GET.get("by", "host_unit")
    if dimension not in funnel.DIMENSIONS:
        dimension = "host_unit"
    return dimension


def _figures(request, unit_ids, dimension):
    """``(figures, computed_at, live)``: Torch staff's national view reads the snapshot the
    refresh job keeps (``?live=1`` counts now); a host organiser's units are counted live."""
    if unit_ids is None and request.GET.get("live") != "1":
        stored = summary.snapshot(dimension)
        if stored is not None:
            return (*stored, False)
    return summary.compute(request.user, unit_ids, dimension), timezone.now(), True


def _share(total, answered):
    return answered / total if total else None


def _responses(data):
    """The response rate and the median days to first response per host unit, as the
    solutions board counts them (``solutions.selectors.response_figures``), each figure with
    the list behind it."""
    from contests.models import HostUnit

    url = reverse("dashboards:responses")

    def linked(total, answered, median, unit=None):
        query = {"unit": unit.pk} if unit is not None else {}
        return {"unit": unit, "total": total, "answered": answered,
                "share": _share(total, answered), "median_days": median,
                "published_url": f"{url}?{urlencode(query)}" if query else url,
                "answered_url": f"{url}?{urlencode({**query, 'answered': '1'})}",
                "unanswered_url": f"{url}?{urlencode({**query, 'answered': '0'})}"}

    units = HostUnit.objects.in_bulk([row[0] for row in data["responses"]])
    rows = [linked(total, answered, median, units[pk])
            for pk, total, answered, median in data["responses"] if pk in units]
    return rows, linked(*data["responses_overall"])


def _per_host(data):
    from contests.models import HostUnit

    units = HostUnit.objects.select_related("event").in_bulk([row[0] for row in data["per_host"]])
    return [{"unit": units[pk], "counts": counts, "amounts": amounts}
            for pk, counts, amounts in data["per_host"] if pk in units]


@login_required
def national(request):
    unit_ids = scope_of(request.user)
    dimension = _view(request)
    data, computed_at, live = _figures(request, unit_ids, dimension)
    totals = [(funnel.STAGE_BY_KEY[key], n, amount) for key, n, amount in data["funnel"]]
    sections = []
    for stage, _total, _amount in totals:
        rows = data["sections"][stage.key]
        sections.append({
            "stage": stage,
            "rows": [(label, n, amount, _drill_url(stage, dimension, key))
                     for key, label, n, amount in rows],
            "chart": bar_chart(stage.label, [(label, n, _drill_url(stage, dimension, key))
                                             for key, label, n, _amount in rows],
                               limit=60 if dimension == "week" else 20),
        })
    responses, responses_overall = _responses(data)
    return render(request, "dashboards/national.html", {
        "national": unit_ids is None,
        "dimension": dimension, "dimensions": funnel.DIMENSIONS.items(),
        "funnel": [(stage, n, amount, _drill_url(stage)) for stage, n, amount in totals],
        "funnel_chart": bar_chart(_("Funnel"), [(stage.label, n, _drill_url(stage))
                                                for stage, n, _amount in totals]),
        "sections": sections,
        "per_host": _per_host(data),
        "stages": funnel.STAGES, "amount_stages": funnel.amount_stages(),
        "responses": responses, "responses_overall": responses_overall,
        "supervision": _supervision(request.user, unit_ids),
        "computed_at": computed_at, "live": live,
        "refresh_minutes": summary.REFRESH_MINUTES,
    })


@login_required
def refresh(request):
    """Torch staff ask for the national figures to be counted again now (the job runs in the
    background; the page shows when its figures were counted)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .tasks import refresh_snapshots

    if not is_torch_staff(request.user):
        raise Http404
    if request.method != "POST":
        return HttpResponse(status=405)
    refresh_snapshots.delay(user_id=request.user.pk)
    messages.success(request, _("The national figures are being counted again; reload the "
                                "page in a minute."))
    return redirect("dashboards:national")


@login_required
def responses(request):
    """The list behind the response figures: the published demands in scope (of one host unit
    with ``unit``), answered or not (``answered=1`` / ``0``), each with its first response and
    the days it took, slowest first."""
    scope_of(request.user)
    demands = solution_selectors.first_response_at(
        solution_selectors.published_scope(request.user)).select_related("host_unit")
    unit = request.GET.get("unit", "")
    if unit:
        demands = demands.filter(host_unit_id=int(unit)) if unit.isdigit() else demands.none()
    answered = request.GET.get("answered", "")
    if answered == "1":
        demands = demands.filter(first_response_at__isnull=False)
    elif answered == "0":
        demands = demands.filter(first_response_at__isnull=True)
    demands = demands.order_by(F("first_response_at").desc(nulls_first=True), "published_at",
                               "pk")
    page = Paginator(demands, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for demand in page.object_list:
        days = None
        if demand.first_response_at is not None:
            seconds = (demand.first_response_at - demand.published_at).total_seconds()
            days = round(max(seconds, 0) / 86400, 1)
        rows.append((demand, days))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dashboards/responses.html", {
        "page_obj": page, "rows": rows, "total": page.paginator.count,
        "answered": answered, "query_string": query.urlencode(),
    })


@login_required
def drill(request, stage):
    """The list behind a figure."""
    unit_ids = scope_of(request.user)
    stage_def = funnel.STAGE_BY_KEY.get(stage)
    if stage_def is None:
        raise Http404
    dimension = request.GET.get("by") or None
    if dimension is not None and dimension not in funnel.DIMENSIONS:
        raise Http404
    rows = funnel.drill(stage_def, unit_ids, dimension, request.GET.get("key"))
    rows = rows.select_related(*stage_def.list_select).order_by("-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    amount = None
    if stage_def.amount:
        # The amount of every row listed (all pages), as the figure it drills from sums it.
        amount = rows.order_by().aggregate(total=Sum(stage_def.amount))["total"] or 0
    return render(request, "dashboards/drill.html", {
        "stage": stage_def, "page_obj": page, "total": page.paginator.count, "amount": amount,
        "items": [stage_def.describe(row) + (row,) for row in page.object_list],
        "dimension_label": funnel.DIMENSIONS.get(dimension, ""),
        "key": request.GET.get("key", ""), "query_string": query.urlencode(),
    })


@login_required
def export(request):
    """The current view as an Excel workbook: the funnel, the breakdown, the per-host table and
    the supervision figures."""
    from openpyxl import Workbook

    unit_ids = scope_of(request.user)
    dimension = _view(request)
    data, _computed_at, _live = _figures(request, unit_ids, dimension)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Funnel")[:31]
    amount_label = _("Amount (10k yuan)")
    sheet.append([_("Stage"), _("Count"), amount_label])
    for key, n, amount in data["funnel"]:
        sheet.append([str(funnel.STAGE_BY_KEY[key].label), n, amount])
    for stage in funnel.STAGES:
        sheet = book.create_sheet(str(stage.label)[:31])
        sheet.append([str(funnel.DIMENSIONS[dimension]), _("Count")]
                     + ([amount_label] if stage.amount else []))
        for _key, label, n, amount in data["sections"][stage.key]:
            sheet.append([str(label), n] + ([amount] if stage.amount else []))
    sheet = book.create_sheet(_("Host units")[:31])
    sheet.append([_("Host unit"), _("Event")] + [str(stage.label) for stage in funnel.STAGES]
                 + [f"{stage.label}: {amount_label}" for stage in funnel.amount_stages()])
    for row in _per_host(data):
        sheet.append([row["unit"].name, row["unit"].event.name, *row["counts"],
                      *row["amounts"]])
    sheet = book.create_sheet(_("Response figures")[:31])
    sheet.append([_("Host unit"), _("Published demands"), _("Answered"), _("Share answered"),
                  _("Median days to first response")])
    responses, overall = _responses(data)
    for row in [*responses, {**overall, "unit": _("All units")}]:
        sheet.append([str(row["unit"]), row["total"], row["answered"],
                      round(row["share"], 4) if row["share"] is not None else None,
                      row["median_days"]])
    sheet = book.create_sheet(_("Supervision")[:31])
    for label, n, _url in _supervision(request.user, unit_ids):
        sheet.append([str(label), n])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{dimension}-{stamp}.xlsx"'
    return response


def _own_figures(user):
    """A company's or a challenger's own figures: demands by state, what awaits them, their
    complaints; ``None`` when the user has neither role."""
    roles = user.role_codes()
    if not roles & {RoleCode.DEMAND_COMPANY, RoleCode.CHALLENGER}:
        return None
    figures = []
    if RoleCode.DEMAND_COMPANY in roles:
        organisations = list(user.memberships.filter(state=MembershipState.ACTIVE)
                             .values_list("organisation_id", flat=True))
        demands = Demand.objects.filter(organisation_id__in=organisations)
        counts = dict(demands.order_by().values_list("status").annotate(n=Count("pk")))
        mine = reverse("demands:mine")
        figures += [(DemandStatus(status).label, counts.get(status, 0), mine)
                    for status in DemandStatus if counts.get(status)]
        figures.append((_("Wording proposals to answer"),
                        WordingProposal.objects.filter(demand__in=demands,
                                                       state=ProposalState.PROPOSED).count(),
                        mine))
        figures.append((_("Requests for hidden details to answer"),
                        AccessRequest.objects.filter(demand__in=demands,
                                                     state=AccessState.REQUESTED).count(), mine))
    if RoleCode.CHALLENGER in roles:
        requests = AccessRequest.objects.filter(user=user)
        counts = dict(requests.order_by().values_list("state").annotate(n=Count("pk")))
        figures += [(_("Access to hidden details: %(state)s") % {"state": state.label},
                     counts.get(state, 0), reverse("demands:list"))
                    for state in AccessState if counts.get(state)]
    complaints = complaint_selectors.complaints_visible_to(user).filter(complainant=user)
    figures.append((_("My open complaints"), complaints.filter(state__in=OPEN_STATES).count(),
                    reverse("complaints:mine")))
    return figures


@login_required
def mine(request):
    figures = _own_figures(request.user)
    if figures is None:
        raise Http404
    return render(request, "dashboards/mine.html", {
        "figures": figures, "chart": bar_chart(_("My figures"), figures),
    })


def workspace_context(request):
    user = request.user
    national = is_torch_staff(user) or bool(staffed_host_unit_ids(user))
    own = not national and _own_figures(user) is not None
    if not (national or own):
        return None
    return {"national": national, "own": own}


# --- coordination: the national calendar ----------------------------------------------------------
def calendar(request):
    """Every host unit's stages from the approved work plans: public in summary; complete for
    Torch staff (plans under review too, notes, clashes of live rounds within a province)."""
    from .coordination import calendar as rows_of

    complete = is_torch_staff(request.user)
    rows = rows_of(complete=complete)
    return render(request, "dashboards/calendar.html", {
        "rows": rows, "complete": complete,
        "clashes": [row for row in rows if row.clashes],
    })


# --- supervision: host scorecards -----------------------------------------------------------------
@login_required
def scorecards(request):
    from .scorecards import scorecards as cards_of

    unit_ids = scope_of(request.user)
    return render(request, "dashboards/scorecards.html", {
        "cards": cards_of(unit_ids), "stages": funnel.STAGES,
        "may_evaluate": unit_ids is None,
    })


@login_required
def evaluate(request, slug):
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect

    from common.errors import DomainError, show_error
    from contests.models import HostUnit

    from .forms import EvaluationForm
    from .scorecards import scorecards as cards_of
    from .services import evaluate_host

    if not is_torch_staff(request.user):
        raise Http404
    unit = get_object_or_404(HostUnit, slug=slug)
    evaluation = getattr(unit, "evaluation", None)
    initial = ({"rating": evaluation.rating, "comments": evaluation.comments}
               if evaluation else {})
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluate_host(unit, actor=request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The evaluation of %(unit)s was saved.")
                             % {"unit": unit.name})
            return redirect("dashboards:scorecards")
    return render(request, "dashboards/evaluate.html", {
        "unit": unit, "form": form, "card": cards_of({unit.pk})[0],
    })


# --- training -------------------------------------------------------------------------------------
def _training_audience(user):
    from .permissions import may_follow_training

    if not may_follow_training(user):
        raise Http404


@login_required
def training(request):
    from django.contrib import messages
    from django.shortcuts import redirect

    from common.errors import DomainError, show_error
    from files.selectors import files_for_object

    from . import services
    from .forms import MaterialForm, SessionForm
    from .models import MaterialRead, SessionAttendance, TrainingMaterial, TrainingSession

    _training_audience(request.user)
    torch = is_torch_staff(request.user)
    material_form = MaterialForm(prefix="m")
    session_form = SessionForm(prefix="s")
    if request.method == "POST":
        if not torch:
            raise Http404
        if "publish" in request.POST:
            material_form = MaterialForm(request.POST, request.FILES, prefix="m")
            form, action = material_form, services.publish_material
        else:
            session_form = SessionForm(request.POST, prefix="s")
            form, action = session_form, services.schedule_session
        if form.is_valid():
            try:
                action(actor=request.user, request=request, **form.cleaned_data)
            except DomainError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("Published for host staff."))
                return redirect("dashboards:training")
    materials = list(TrainingMaterial.objects.annotate(readers=Count("reads")))
    sessions = list(TrainingSession.objects.annotate(
        registered=Count("attendances"),
        present=Count("attendances", filter=Q(attendances__attended=True))))
    read_ids = set(MaterialRead.objects.filter(user=request.user)
                   .values_list("material_id", flat=True))
    registered_ids = set(SessionAttendance.objects.filter(user=request.user)
                         .values_list("session_id", flat=True))
    files = {}
    for material in materials:
        files[material.pk] = list(files_for_object(material))
    return render(request, "dashboards/training.html", {
        "materials": [(m, files[m.pk], m.pk in read_ids) for m in materials],
        "sessions": [(s, s.pk in registered_ids) for s in sessions],
        "torch": torch, "material_form": material_form, "session_form": session_form,
    })


@login_required
def training_read(request, pk):
    from django.shortcuts import get_object_or_404, redirect

    from . import services
    from .models import TrainingMaterial

    _training_audience(request.user)
    if request.method != "POST":
        return HttpResponse(status=405)
    services.mark_read(get_object_or_404(TrainingMaterial, pk=pk), user=request.user)
    return redirect("dashboards:training")


@login_required
def training_register(request, pk):
    from django.shortcuts import get_object_or_404, redirect

    from . import services
    from .models import TrainingSession

    _training_audience(request.user)
    if request.method != "POST":
        return HttpResponse(status=405)
    services.register_for(get_object_or_404(TrainingSession, pk=pk), user=request.user)
    return redirect("dashboards:training")


@login_required
def training_session(request, pk):
    """Torch staff: who registered, who attended (and record attendance)."""
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect

    from . import services
    from .models import TrainingSession

    if not is_torch_staff(request.user):
        raise Http404
    session = get_object_or_404(TrainingSession, pk=pk)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("attended") if v.isdigit()]
        services.record_attendance(session, actor=request.user, attended_user_ids=ids,
                                   request=request)
        messages.success(request, _("Attendance recorded."))
        return redirect("dashboards:training_session", pk=session.pk)
    return render(request, "dashboards/training_session.html", {
        "session": session,
        "attendances": session.attendances.select_related("user").order_by("user__email"),
    })


@login_required
def training_material(request, pk):
    """Torch staff: who has read a material."""
    from django.shortcuts import get_object_or_404

    from .models import TrainingMaterial

    if not is_torch_staff(request.user):
        raise Http404
    material = get_object_or_404(TrainingMaterial, pk=pk)
    return render(request, "dashboards/training_material.html", {
        "material": material,
        "reads": material.reads.select_related("user").order_by("read_at"),
    })
