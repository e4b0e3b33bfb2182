"""Pages of the solutions app: the challenger's solutions, the owner's list and comparison,
clarification threads and the organiser's unanswered board. Every write goes through
``solutions.services``; what the user may not see is a 404."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import MembershipState
from accounts.models import Organisation
from accounts.permissions import is_challenger, is_torch_staff
from audit.services import log_action
from common.errors import DomainError, show_error
from demands.enums import PUBLIC_STATES, DemandStatus
from demands.models import Demand
from demands.permissions import can_view_full_demand
from demands.public.projection import project

from . import permissions, selectors
from .diff import version_diff
from .enums import DECISIONS, SolutionStatus
from .export import XLSX_CONTENT_TYPE, export_xlsx
from .forms import DecisionForm, ListFilterForm, PublishForm, SolutionForm, TextForm
from .models import ClarificationThread, Solution
from .services import answered, clarifications
from .services import solutions as services
from .services.base import accepting, deadline_end

PAGE_SIZE = 25


def _solution(request, pk):
    try:
        return selectors.solution_detail(request.user, pk)
    except Solution.DoesNotExist:
        raise Http404 from None


def _reviewable_demand(request, ref):
    demand = (Demand.objects.select_related("host_unit__event__contest", "organisation",
                                            "industry_field").filter(ref=ref).first())
    if demand is None or demand.status not in PUBLIC_STATES or not \
            permissions.can_review_solutions_of(request.user, demand):
        raise Http404
    return demand


def _demand_title(user, demand):
    """The full title for those who may read the demand in full, the public one otherwise."""
    if can_view_full_demand(user, demand):
        return demand.title
    return (demand.public_snapshot or {}).get("title") or demand.ref


def _challenger_organisations(user):
    return Organisation.objects.filter(memberships__user=user,
                                       memberships__state=MembershipState.ACTIVE).order_by("pk")


# --- the challenger's side --------------------------------------------------------------------
@login_required
@require_safe
def my_solutions(request):
    solutions = selectors.my_solutions(request.user)
    page = Paginator(solutions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "solutions/mine.html", {
        "page_obj": page, "solutions": page.object_list,
        "unanswered": list(selectors.unanswered_by_me(request.user)[:20]),
    })


@login_required
def create(request, ref):
    demand = get_object_or_404(Demand.objects.select_related("host_unit__event__contest"),
                               ref=ref, status__in=PUBLIC_STATES)
    if not is_challenger(request.user):
        raise Http404
    organisations = list(_challenger_organisations(request.user).exclude(pk=demand.organisation_id))
    form = SolutionForm(request.POST or None, request.FILES or None, demand=demand,
                        organisations=Organisation.objects.filter(
                            pk__in=[org.pk for org in organisations]))
    if request.method == "POST" and form.is_valid():
        try:
            solution = services.create_solution(
                demand, actor=request.user, organisation=form.cleaned_data["organisation"],
                data=form.content(), answers=form.answers(), uploads=form.uploads(),
                request=request)
            if "submit" in request.POST:
                services.submit_solution(solution, actor=request.user, request=request)
                messages.success(request, _("Your solution was submitted."))
            else:
                messages.success(request, _("Your draft was saved."))
        except ValidationError as error:
            form.add_error(None, error)
        except DomainError as error:
            show_error(request, error, form)
        else:
            return redirect(solution.get_absolute_url())
    return render(request, "solutions/form.html", {
        "form": form, "demand": demand, "demand_title": _demand_title(request.user, demand),
        "deadline_end": deadline_end(demand), "accepting": accepting(demand)})


@login_required
@require_safe
def detail(request, pk):
    solution = _solution(request, pk)
    user = request.user
    demand = solution.demand
    versions = list(solution.versions.all())
    return render(request, "solutions/detail.html", {
        "solution": solution, "demand": demand, "demand_title": _demand_title(user, demand),
        "rows": selectors.indicator_rows(solution),
        "is_member": permissions.is_solution_member(user, solution),
        "may_edit": (permissions.can_write_solution(user, solution) and accepting(demand)
                     and solution.status in (SolutionStatus.DRAFT, SolutionStatus.SUBMITTED,
                                             SolutionStatus.SHORTLISTED)),
        "may_submit": (services.SOLUTION_WORKFLOW.allows(user, solution, SolutionStatus.SUBMITTED)
                       and accepting(demand)),
        "may_withdraw": services.SOLUTION_WORKFLOW.allows(user, solution,
                                                          SolutionStatus.WITHDRAWN),
        "decisions": [status for status in DECISIONS
                      if services.SOLUTION_WORKFLOW.allows(user, solution, status)],
        "decision_form": DecisionForm(),
        "versions": versions,
        "problems": services.submission_problems(solution)
        if solution.status == SolutionStatus.DRAFT else [],
        "deadline_end": deadline_end(demand),
    })


@login_required
def edit(request, pk):
    solution = _solution(request, pk)
    if not permissions.can_write_solution(request.user, solution):
        raise Http404
    form = SolutionForm(request.POST or None, request.FILES or None, demand=solution.demand,
                        instance=solution)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_solution(solution, actor=request.user, data=form.content(),
                                     answers=form.answers(), uploads=form.uploads(),
                                     request=request)
            if "submit" in request.POST and solution.status == SolutionStatus.DRAFT:
                services.submit_solution(solution, actor=request.user, request=request)
                messages.success(request, _("Your solution was submitted."))
            else:
                messages.success(request, _("Saved."))
        except ValidationError as error:
            form.add_error(None, error)
        except DomainError as error:
            show_error(request, error, form)
        else:
            return redirect(solution.get_absolute_url())
    demand = solution.demand
    return render(request, "solutions/form.html", {
        "form": form, "demand": demand, "solution": solution,
        "demand_title": _demand_title(request.user, demand),
        "deadline_end": deadline_end(demand), "accepting": accepting(demand)})


@login_required
@require_POST
def submit(request, pk):
    solution = _solution(request, pk)
    if not permissions.is_solution_member(request.user, solution):
        raise Http404
    try:
        services.submit_solution(solution, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your solution was submitted."))
    return redirect(solution.get_absolute_url())


@login_required
@require_POST
def withdraw(request, pk):
    solution = _solution(request, pk)
    if not permissions.is_solution_member(request.user, solution):
        raise Http404
    try:
        services.withdraw_solution(solution, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your solution was withdrawn."))
    return redirect(solution.get_absolute_url())


@login_required
@require_POST
def decide(request, pk):
    solution = _solution(request, pk)
    if not permissions.can_decide_solutions_of(request.user, solution.demand):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown decision."))
    else:
        try:
            services.decide_solution(solution, form.cleaned_data["to_status"],
                                     actor=request.user, reason=form.cleaned_data["reason"],
                                     request=request)
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("“%(title)s” is now “%(status)s”.") % {
                "title": solution.title, "status": solution.get_status_display()})
    back = request.POST.get("back", "")
    if back == "list":
        return redirect("solutions:demand_list", ref=solution.demand.ref)
    return redirect(solution.get_absolute_url())


@login_required
@require_safe
def version(request, pk, number):
    solution = _solution(request, pk)
    versions = {item.number: item for item in solution.versions.all()}
    if number not in versions:
        raise Http404
    current = versions[number]
    previous = versions.get(number - 1)
    indicators = {str(i.pk): i for i in solution.demand.indicators.all()}
    return render(request, "solutions/version.html", {
        "solution": solution, "current": current, "previous": previous,
        "rows": version_diff(previous.content if previous else {}, current.content, indicators),
    })


# --- the owner's side -------------------------------------------------------------------------
@login_required
@require_safe
def demand_list(request, ref):
    demand = _reviewable_demand(request, ref)
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    solutions = selectors.demand_solutions(
        demand, status=filters.get("status") or "", trl_min=filters.get("trl_min"),
        cost_max=filters.get("cost_max"), mode=filters.get("mode") or "")
    page = Paginator(solutions, PAGE_SIZE).get_page(request.GET.get("page"))
    may_decide = permissions.can_decide_solutions_of(request.user, demand)
    return render(request, "solutions/demand_list.html", {
        "demand": demand, "form": form, "page_obj": page, "solutions": page.object_list,
        "may_decide": may_decide, "decision_form": DecisionForm(),
        "counts": selectors.status_counts(Solution.objects.filter(
            demand=demand, submitted_at__isnull=False)),
    })


@login_required
@require_safe
def compare(request, ref):
    demand = _reviewable_demand(request, ref)
    ids = []
    for value in request.GET.getlist("ids"):
        if value.isdigit():
            ids.append(int(value))
    if len(ids) > 4:
        messages.info(request, _("At most four solutions are compared; the first four are "
                                 "shown."))
    indicators, columns = selectors.comparison(demand, ids[:4])
    rows = [(indicator, [answers[index] for _solution, answers in columns])
            for index, indicator in enumerate(indicators)]
    return render(request, "solutions/compare.html", {
        "demand": demand, "indicators": indicators, "columns": columns, "rows": rows,
        "may_decide": permissions.can_decide_solutions_of(request.user, demand),
        "decision_form": DecisionForm(),
    })


@login_required
@require_safe
def export(request, ref):
    demand = _reviewable_demand(request, ref)
    if not permissions.can_decide_solutions_of(request.user, demand) and not is_torch_staff(
            request.user):
        raise Http404
    body, rows = export_xlsx(selectors.demand_solutions(demand).defer(None))
    log_action("portal.export", request=request, obj=demand,
               data={"resource": "solutions.solution", "format": "xlsx", "rows": rows})
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    name = quote(f"{demand.ref}-solutions.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# --- clarification threads --------------------------------------------------------------------
def _public_demand(ref):
    demand = (Demand.objects.select_related("organisation", "host_unit__event", "industry_field")
              .filter(ref=ref, status__in=PUBLIC_STATES, public_indexed_at__isnull=False)
              .first())
    if demand is None:
        raise Http404
    return demand


def questions(request, ref):
    """The demand's published questions and answers (everyone who may read the demand), the
    user's own threads, or all of them for the owner's side; and the form to ask."""
    demand = _public_demand(ref)
    user = request.user
    form = TextForm(request.POST or None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            try:
                thread = clarifications.ask(demand, asker=user, text=form.cleaned_data["text"],
                                            request=request)
            except DomainError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("Your question was sent to the owner."))
                return redirect("solutions:thread", pk=thread.pk)
    threads = []
    if user.is_authenticated:
        threads = list(selectors.with_unread(
            selectors.threads_visible_to(user, demand), user).order_by("-last_message_at"))
    owner_side = permissions.can_answer_clarifications(user, demand)
    return render(request, "solutions/questions.html", {
        "demand": demand, "public": project(demand), "form": form, "threads": threads,
        "owner_side": owner_side, "published": list(selectors.published_questions(demand)),
        "may_ask": (user.is_authenticated and is_challenger(user)
                    and demand.status == DemandStatus.PUBLISHED),
    })


def _thread(request, pk):
    thread = (ClarificationThread.objects.select_related("demand__organisation", "asker")
              .filter(pk=pk).first())
    if thread is None or not request.user.is_authenticated:
        raise Http404
    user = request.user
    if not (thread.asker_id == user.pk
            or permissions.can_answer_clarifications(user, thread.demand)
            or is_torch_staff(user)):
        raise Http404
    return thread


@login_required
def thread(request, pk):
    thread = _thread(request, pk)
    user = request.user
    owner_side = permissions.can_answer_clarifications(user, thread.demand)
    form = TextForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                clarifications.reply(thread, author=user, text=form.cleaned_data["text"],
                                     request=request)
            except DomainError as error:
                show_error(request, error, form)
            else:
                return redirect("solutions:thread", pk=thread.pk)
    else:
        clarifications.mark_read(thread, user)
    publish_form = PublishForm(initial={
        "question": thread.published_question or thread.question,
        "answer": thread.published_answer}) if owner_side else None
    return render(request, "solutions/thread.html", {
        "thread": thread, "demand": thread.demand, "form": form, "owner_side": owner_side,
        "messages_list": list(thread.messages.select_related("author").order_by("created_at",
                                                                                   "pk")),
        "publish_form": publish_form,
    })


@login_required
@require_POST
def publish_thread(request, pk):
    thread = _thread(request, pk)
    if not permissions.can_answer_clarifications(request.user, thread.demand):
        raise Http404
    if "unpublish" in request.POST:
        try:
            clarifications.unpublish(thread, actor=request.user, request=request)
        except DomainError as error:
            show_error(request, error)
        return redirect("solutions:thread", pk=thread.pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            clarifications.publish(thread, actor=request.user,
                                   question=form.cleaned_data["question"],
                                   answer=form.cleaned_data["answer"], request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The question and its answer are published, without "
                                        "the asker's name."))
            return redirect("solutions:thread", pk=thread.pk)
    thread.refresh_from_db()
    return render(request, "solutions/thread.html", {
        "thread": thread, "demand": thread.demand, "form": TextForm(), "owner_side": True,
        "messages_list": list(thread.messages.select_related("author")),
        "publish_form": form,
    }, status=400)


# --- every demand answered --------------------------------------------------------------------
@login_required
@require_safe
def board(request):
    """The organiser's board: unanswered demands oldest first, and the response figures."""
    user = request.user
    if not permissions.can_see_board(user):
        raise Http404
    demands = selectors.unanswered_board(user)
    page = Paginator(demands, 50).get_page(request.GET.get("page"))
    rows, overall = selectors.response_figures(user)
    return render(request, "solutions/board.html", {
        "page_obj": page, "rows": selectors.board_rows(page.object_list),
        "figures": rows, "overall": overall, "is_torch": is_torch_staff(user),
        "response_form": TextForm(),
    })


@login_required
@require_POST
def respond(request, ref):
    demand = Demand.objects.filter(ref=ref, status__in=PUBLIC_STATES).first()
    if demand is None or not permissions.demand_permissions.is_host_staff_of_demand(
            request.user, demand):
        raise Http404
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            answered.respond_as_host(demand, actor=request.user, text=form.cleaned_data["text"],
                                     request=request)
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Your response to %(ref)s was recorded.")
                             % {"ref": demand.ref})
    else:
        messages.error(request, _("Write the response."))
    return redirect("solutions:board")
