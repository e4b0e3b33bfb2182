"""Pages of live rounds: host staff create and run them (criteria, judges, progress, pitch
timer); the demand side and challengers consent and name unwanted judges; judges score on a
phone, one challenger at a time, and print their signed sheets; the demand side selects the
partner. A denial is 404."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import MembershipState
from accounts.models import Organisation
from accounts.permissions import is_org_member, is_torch_staff
from common.errors import DomainError, show_error
from common.http import posted_text
from demands.models import Demand
from solutions.enums import SolutionStatus
from solutions.models import Solution

from . import permissions, selectors
from .enums import JudgeKind, RoundPart, RoundState, SheetState
from .forms import CriteriaForm, DeclareForm, JudgeForm, RoundForm, SelectPartnerForm, UnwantedForm
from .models import JudgeConflict, LiveRound, RoundEntry, RoundJudge, ScoreSheet
from .scoring import TIE_BREAK
from .services import rounds
from .views import _page


def _round(request, pk, perm="matching.view_liveround"):
    live_round = get_object_or_404(LiveRound.objects.select_related("demand", "host_unit"), pk=pk)
    if not request.user.has_perm(perm, live_round):
        raise Http404
    return live_round


def _my_judge(request, live_round):
    if not request.user.is_authenticated:
        return None
    return RoundJudge.objects.filter(round=live_round, user=request.user).first()


@require_safe
def round_list(request):
    public = selectors.public_rounds().values("pk")
    queryset = LiveRound.objects.filter(
        Q(pk__in=public) | Q(pk__in=selectors.rounds_visible_to(request.user).values("pk"))
    )
    queryset = queryset.select_related("host_unit", "demand").order_by("-starts_at", "-pk")
    page_obj = _page(request, queryset)
    return render(
        request, "matching/rounds/list.html", {"page_obj": page_obj, "rounds": page_obj.object_list}
    )


@login_required
def round_create(request, ref):
    demand = get_object_or_404(Demand, ref=ref)
    if not permissions.is_host_staff_of_demand(request.user, demand):
        raise Http404
    shortlisted = (
        Solution.objects.filter(demand=demand, status=SolutionStatus.SHORTLISTED)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )
    form = RoundForm(request.POST or None, solutions=shortlisted)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [s for s in shortlisted if s in set(data["solutions"])]
        agenda = [
            (RoundPart.DOCKING, name, minutes, None) for name, minutes in data["docking_agenda"]
        ]
        agenda += [
            (
                RoundPart.PITCHING,
                _("Pitch: %(name)s") % {"name": s.organisation.name},
                data["pitch_minutes"],
                s,
            )
            for s in chosen
        ]
        try:
            live_round = rounds.create_round(
                demand,
                title=data["title"],
                starts_at=data["starts_at"],
                venue=data["venue"],
                link=data["link"],
                solutions=chosen,
                agenda=agenda,
                score_min=data["score_min"],
                score_max=data["score_max"],
                actor=request.user,
                request=request,
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _(
                    "The live round is created; the demand side and the "
                    "challengers are asked for their consent."
                ),
            )
            return redirect(live_round.get_absolute_url())
    return render(request, "matching/rounds/form.html", {"form": form, "demand": demand})


@require_safe
def round_detail(request, pk):
    live_round = _round(request, pk)
    user = request.user
    entries = list(
        live_round.entries.select_related("organisation", "solution").prefetch_related("unwanted")
    )
    consents = {c.organisation_id: c for c in live_round.consents.all()}
    sides = [(live_round.demand.organisation_id, _("Demand side"))] + [
        (entry.organisation_id, entry.organisation.name) for entry in entries
    ]
    org_names = dict(
        Organisation.objects.filter(pk__in=[pk for pk, _n in sides]).values_list("pk", "name")
    )
    # The demand's organisation may be hidden from challengers (anonymised publishing): its
    # name is for its own members, the unit's staff and Torch staff.
    sees_owner = (
        user.has_perm("matching.change_liveround", live_round)
        or is_torch_staff(user)
        or (user.is_authenticated and is_org_member(user, live_round.demand.organisation_id))
    )
    if not sees_owner:
        org_names.pop(live_round.demand.organisation_id, None)
    consent_rows = [
        {
            "organisation_id": org_id,
            "label": label,
            "name": org_names.get(org_id, ""),
            "consent": consents.get(org_id),
            "mine": user.is_authenticated and is_org_member(user, org_id),
        }
        for org_id, label in sides
    ]
    manage = user.has_perm("matching.change_liveround", live_round)
    judge = _my_judge(request, live_round)
    is_party = permissions._round_party(user, live_round)
    context = {
        "round": live_round,
        "entries": entries,
        "consent_rows": consent_rows,
        "is_public": permissions.round_is_public(live_round),
        "agenda": live_round.agenda.select_related("entry__organisation"),
        "criteria": list(live_round.criteria.all()),
        "manage": manage,
        "judge": judge,
        "tie_break": TIE_BREAK,
        "may_consent": live_round.state == RoundState.PLANNED,
        "sees_owner": sees_owner,
    }
    # Judges' names are for the host, Torch staff and the round's participants.
    if manage or is_torch_staff(user) or is_party or judge:
        context["judges"] = live_round.judges.select_related("user").order_by("pk")
    if permissions.can_see_results(user, live_round) and live_round.state != RoundState.PLANNED:
        context["standings"], _stats = selectors.round_results(live_round)
    if is_party and live_round.state == RoundState.FINISHED:
        # A challenger's own submitted sheets, by number (never the judge's name): what a
        # request to re-check its result names (complaints, target "matching.scoresheet").
        context["my_sheets"] = list(
            selectors.sheets_visible_to(user).filter(entry__round=live_round)
            .exclude(judge__user=user).select_related("entry__organisation")
            .order_by("entry__position", "pk"))
    if manage:
        context["judge_form"] = JudgeForm(users=_judge_candidates(live_round))
    if judge:
        context["declare_form"] = DeclareForm(
            entries=live_round.entries.select_related("organisation")
        )
        context["my_conflicts"] = JudgeConflict.objects.filter(judge=judge).select_related(
            "entry__organisation"
        )
    context["my_entries"] = [
        entry
        for entry in entries
        if user.is_authenticated and is_org_member(user, entry.organisation_id)
    ]
    if context["my_entries"]:
        context["unwanted_forms"] = [
            (
                entry,
                UnwantedForm(
                    organisations=_unwanted_choices(entry),
                    initial={"organisations": list(entry.unwanted.all())},
                ),
            )
            for entry in context["my_entries"]
        ]
    if permissions.can_select_partner(user, live_round) and not live_round.selected_entry_id:
        context["select_form"] = SelectPartnerForm(
            entries=live_round.entries.select_related("organisation")
        )
    return render(request, "matching/rounds/detail.html", context)


def _judge_candidates(live_round):
    """Members of the demand's organisation and experts."""
    return (
        get_user_model()
        .objects.filter(
            Q(
                memberships__organisation_id=live_round.demand.organisation_id,
                memberships__state=MembershipState.ACTIVE,
            )
            | Q(roles__code="expert"),
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def _unwanted_choices(entry):
    """The other challengers of the round and the organisations of the portal's experts (the
    demand side's own organisation is never among them: its name may be hidden)."""
    live_round = entry.round
    return (
        Organisation.objects.filter(
            Q(round_entries__round_id=entry.round_id)
            | Q(memberships__user__roles__code="expert", memberships__state=MembershipState.ACTIVE)
        )
        .exclude(pk__in=[entry.organisation_id, live_round.demand.organisation_id])
        .distinct()
        .order_by("name")
    )


@login_required
@require_POST
def round_consent(request, pk):
    live_round = _round(request, pk)
    organisation = Organisation.objects.filter(
        pk=request.POST.get("organisation")
        if str(request.POST.get("organisation", "")).isdigit()
        else None
    ).first()
    if organisation is None:
        raise Http404
    try:
        rounds.answer_consent(
            live_round,
            organisation,
            given=request.POST.get("given") == "yes",
            actor=request.user,
            request=request,
        )
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your answer is recorded."))
    return redirect(live_round.get_absolute_url())


@login_required
def round_criteria(request, pk):
    live_round = _round(request, pk, "matching.change_liveround")
    initial = "\n".join(f"{c.name} | {c.weight}" for c in live_round.criteria.all())
    form = CriteriaForm(request.POST or None, initial={"criteria": initial})
    if request.method == "POST" and form.is_valid():
        try:
            rounds.set_criteria(
                live_round, form.cleaned_data["criteria"], actor=request.user, request=request
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect(live_round.get_absolute_url())
    return render(request, "matching/rounds/criteria.html", {"round": live_round, "form": form})


@login_required
@require_POST
def round_judge(request, pk):
    live_round = _round(request, pk, "matching.change_liveround")
    form = JudgeForm(request.POST, users=_judge_candidates(live_round))
    if form.is_valid():
        try:
            rounds.invite_judge(
                live_round,
                form.cleaned_data["user"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
                request=request,
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The judge is invited; conflicts were checked."))
    else:
        messages.error(request, _("Choose a judge and the kind of judge."))
    return redirect(live_round.get_absolute_url())


@login_required
@require_POST
def round_unwanted(request, pk, entry):
    live_round = _round(request, pk)
    entry = get_object_or_404(RoundEntry, pk=entry, round=live_round)
    if not is_org_member(request.user, entry.organisation_id):
        raise Http404
    form = UnwantedForm(request.POST, organisations=_unwanted_choices(entry))
    if form.is_valid():
        try:
            rounds.name_unwanted(
                entry, form.cleaned_data["organisations"], actor=request.user, request=request
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(
                request, _("Saved: judges from these organisations will not score you.")
            )
    else:
        messages.error(request, _("Choose organisations from the list."))
    return redirect(live_round.get_absolute_url())


@login_required
@require_POST
def round_declare(request, pk):
    live_round = _round(request, pk)
    judge = _my_judge(request, live_round)
    if judge is None:
        raise Http404
    form = DeclareForm(request.POST, entries=live_round.entries.all())
    if form.is_valid():
        try:
            rounds.declare_conflict(
                judge,
                form.cleaned_data["entry"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Your declaration is recorded."))
    else:
        messages.error(request, _("Give a reason."))
    return redirect(live_round.get_absolute_url())


@login_required
@require_POST
def round_state(request, pk):
    live_round = _round(request, pk, "matching.change_liveround")
    try:
        if request.POST.get("to") == "finish":
            rounds.finish(live_round, actor=request.user, request=request)
        else:
            rounds.open_scoring(live_round, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    return redirect(live_round.get_absolute_url())


@login_required
@require_POST
def round_select(request, pk):
    live_round = _round(request, pk)
    form = SelectPartnerForm(request.POST, entries=live_round.entries.all())
    if not form.is_valid():
        messages.error(request, _("Choose the partner."))
        return redirect(live_round.get_absolute_url())
    try:
        agreement = rounds.select_partner(
            live_round, form.cleaned_data["entry"], actor=request.user, request=request
        )
    except DomainError as error:
        show_error(request, error)
        return redirect(live_round.get_absolute_url())
    messages.success(
        request, _("The partner is selected; both sides now confirm the intention agreement.")
    )
    return redirect(agreement.get_absolute_url())


# --- the judge's pages ----------------------------------------------------------------------------
def _judge_or_404(request, live_round):
    judge = _my_judge(request, live_round)
    if judge is None:
        raise Http404
    return judge


@login_required
@require_safe
def round_score_start(request, pk):
    """The judge's first challenger not yet submitted (or the first one)."""
    live_round = _round(request, pk)
    judge = _judge_or_404(request, live_round)
    done = set(
        ScoreSheet.objects.filter(judge=judge, state=SheetState.SUBMITTED).values_list(
            "entry_id", flat=True
        )
    )
    entries = list(live_round.entries.values_list("pk", flat=True))
    target = next((pk for pk in entries if pk not in done), entries[0])
    return redirect("matching:round_score", pk=live_round.pk, entry=target)


@login_required
def round_score(request, pk, entry):
    """One challenger at a time; typed scores are saved as they are typed (static/js/
    rounds.js posts the form; the Save button does the same without JavaScript)."""
    live_round = _round(request, pk)
    judge = _judge_or_404(request, live_round)
    entry = get_object_or_404(
        RoundEntry.objects.select_related("organisation", "solution"), pk=entry, round=live_round
    )
    criteria = list(live_round.criteria.all())
    background = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "POST":
        values = {
            str(c.pk): posted_text(request, f"c{c.pk}")
            for c in criteria
            if f"c{c.pk}" in request.POST
        }
        try:
            if request.POST.get("action") == "submit":
                rounds.save_scores(
                    live_round,
                    entry,
                    user=request.user,
                    values=values,
                    comment=posted_text(request, "comment"),
                    request=request,
                )
                rounds.submit_sheet(
                    live_round,
                    entry,
                    user=request.user,
                    signed_name=posted_text(request, "signed_name"),
                    request=request,
                )
            else:
                rounds.save_scores(
                    live_round,
                    entry,
                    user=request.user,
                    values=values,
                    comment=posted_text(request, "comment", default=None),
                    request=request,
                )
        except DomainError as error:
            if background:
                return JsonResponse(
                    {"saved": False, "error": str(error.message), "field": error.field or ""},
                    status=400,
                )
            show_error(request, error)
            return _score_page(request, live_round, judge, entry, criteria, typed=request.POST)
        if background:
            return JsonResponse({"saved": True})
        if request.POST.get("action") == "submit":
            messages.success(request, _("Submitted and locked."))
            return redirect("matching:round_score_start", pk=live_round.pk)
        messages.success(request, _("Saved."))
        return redirect("matching:round_score", pk=live_round.pk, entry=entry.pk)
    return _score_page(request, live_round, judge, entry, criteria)


def _score_page(request, live_round, judge, entry, criteria, typed=None):
    sheet = ScoreSheet.objects.filter(judge=judge, entry=entry).first()
    saved = dict(sheet.scores.values_list("criterion_id", "value")) if sheet else {}
    rows = [
        (c, typed.get(f"c{c.pk}", "") if typed is not None else saved.get(c.pk, ""))
        for c in criteria
    ]
    entries = list(live_round.entries.select_related("organisation"))
    states = dict(ScoreSheet.objects.filter(judge=judge).values_list("entry_id", "state"))
    conflicts = set(JudgeConflict.objects.filter(judge=judge).values_list("entry_id", flat=True))
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    return render(
        request,
        "matching/rounds/score.html",
        {
            "round": live_round,
            "judge": judge,
            "entry": entry,
            "rows": rows,
            "sheet": sheet,
            "locked": bool(sheet and sheet.state == SheetState.SUBMITTED),
            "conflicted": judge.recused_at is not None or entry.pk in conflicts,
            "scoring_open": live_round.state == RoundState.SCORING,
            "tabs": [
                (e, states.get(e.pk, ""), e.pk in conflicts or judge.recused_at is not None)
                for e in entries
            ],
            "previous": entries[index - 1] if index > 0 else None,
            "next": entries[index + 1] if index + 1 < len(entries) else None,
            "comment": (
                typed.get("comment", "") if typed is not None else (sheet.comment if sheet else "")
            ),
            "signed_name": (
                typed.get("signed_name", "") if typed is not None else request.user.get_full_name()
            ),
        },
        status=400 if typed is not None else 200,
    )


@login_required
@require_safe
def round_sheet(request, pk, judge):
    """A judge's submitted sheets, printable and signed, each with its digest and whether it
    still verifies: the judge, the unit's staff, Torch staff."""
    live_round = _round(request, pk)
    judge = get_object_or_404(RoundJudge.objects.select_related("user"), pk=judge, round=live_round)
    if not (
        judge.user_id == request.user.pk
        or request.user.has_perm("matching.change_liveround", live_round)
        or is_torch_staff(request.user)
    ):
        raise Http404
    sheets = list(
        ScoreSheet.objects.filter(judge=judge, state=SheetState.SUBMITTED)
        .select_related("entry__organisation", "judge__user")
        .prefetch_related("scores__criterion")
        .order_by("entry__position")
    )
    for sheet in sheets:
        sheet.verified = rounds.verify(sheet)
        by_criterion = {score.criterion_id: score.value for score in sheet.scores.all()}
        sheet.rows = [(c, by_criterion.get(c.pk)) for c in live_round.criteria.all()]
    return render(
        request,
        "matching/rounds/sheet.html",
        {"round": live_round, "judge": judge, "sheets": sheets},
    )


@login_required
@require_safe
def round_progress(request, pk):
    """Who has scored whom, and the pitch timer from the agenda (static/js/rounds.js reloads
    the table every few seconds)."""
    live_round = _round(request, pk)
    if not (
        request.user.has_perm("matching.change_liveround", live_round)
        or is_torch_staff(request.user)
    ):
        raise Http404
    entries, rows = selectors.round_progress(live_round)
    return render(
        request,
        "matching/rounds/progress.html",
        {
            "round": live_round,
            "entries": entries,
            "rows": rows,
            "agenda": live_round.agenda.order_by("part", "position"),
            "judge_kinds": dict(JudgeKind.choices),
        },
    )
