"""Pages of the matching app: the achievement library, a demand's recommendations and the
one-click invitation, invitations, agencies' commissions and intention agreements. Each view
checks a permission (a denial is a 404), calls one service and renders; a refusal comes back as
a domain error shown on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import MembershipState
from accounts.models import Organisation
from accounts.permissions import is_torch_staff
from common.errors import DomainError, show_error
from common.http import posted_text
from contests.models import HostUnit
from contests.permissions import is_host_staff, staffed_host_unit_ids
from demands.enums import DemandStatus
from demands.models import Demand
from files.enums import FileKind
from files.services import store_upload

from . import permissions, selectors
from .enums import InvitationState
from .forms import (
    AchievementFilterForm,
    AchievementForm,
    AgreementForm,
    AnswerForm,
    CommissionForm,
    InviteForm,
)
from .models import Achievement, Commission, IntentionAgreement, Invitation
from .search import search
from .services import agencies, agreements, invitations, library
from .terms import current_table

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _or_404(user, perm, obj):
    if not user.has_perm(perm, obj):
        raise Http404


# --- the library ---------------------------------------------------------------------------------
@require_safe
def library_list(request):
    form = AchievementFilterForm(request.GET or None)
    queryset = selectors.achievements_visible_to(request.user)
    query = ""
    if form.is_bound and form.is_valid():
        queryset = form.filter(queryset)
        query = form.cleaned_data.get("q") or ""
    elif form.is_bound:
        queryset = queryset.none()
    if query:
        queryset = search(queryset, query, current_table())
    queryset = selectors.for_list(queryset)
    page_obj = _page(request, queryset)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "matching/library.html", {
        "form": form, "page_obj": page_obj, "achievements": page_obj.object_list,
        "query": query, "query_string": params.urlencode(),
    })


@require_safe
def achievement_detail(request, pk):
    achievement = get_object_or_404(
        Achievement.objects.select_related("owner", "industry_field"), pk=pk)
    _or_404(request.user, "matching.view_achievement", achievement)
    return render(request, "matching/achievement_detail.html", {
        "achievement": achievement,
        "may_edit": request.user.has_perm("matching.change_achievement", achievement),
    })


def _user_organisations(user):
    return Organisation.objects.filter(memberships__user=user,
                                       memberships__state=MembershipState.ACTIVE)


@login_required
@require_safe
def my_achievements(request):
    page_obj = _page(request, selectors.for_list(selectors.achievements_of_user(request.user)))
    return render(request, "matching/my_achievements.html", {
        "page_obj": page_obj, "achievements": page_obj.object_list,
        "may_create": _user_organisations(request.user).exists(),
    })


def _achievement_form_page(request, achievement, organisations):
    initial = None
    if achievement.pk:
        initial = {name: getattr(achievement, name) for name in
                   ("owner", "title", "abstract", "industry_field", "keywords", "trl",
                    "patent_numbers", "region", "cooperation_modes", "visibility")}
    form = AchievementForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        form.apply(achievement)
        try:
            if achievement.pk:
                library.update_achievement(achievement, actor=request.user, request=request)
            else:
                library.create_achievement(achievement, actor=request.user, request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The achievement is saved."))
            return redirect(achievement.get_absolute_url())
    return render(request, "matching/achievement_form.html",
                  {"form": form, "achievement": achievement})


@login_required
def achievement_create(request):
    organisations = _user_organisations(request.user)
    if not organisations.exists():
        messages.info(request, _("Join or register an organisation to list its achievements."))
        return redirect("accounts:dashboard")
    return _achievement_form_page(request, Achievement(), organisations)


@login_required
def achievement_edit(request, pk):
    achievement = get_object_or_404(Achievement, pk=pk)
    _or_404(request.user, "matching.change_achievement", achievement)
    organisations = (Organisation.objects.filter(pk=achievement.owner_id)
                     if is_torch_staff(request.user)
                     else _user_organisations(request.user))
    return _achievement_form_page(request, achievement, organisations)


# --- recommendations and invitations -------------------------------------------------------------
@login_required
@require_safe
def demand_list(request):
    """Published demands whose recommendations the user works with: host staff their units',
    Torch staff all, agency members those of their current commissions."""
    user = request.user
    queryset = Demand.objects.filter(status__in=[DemandStatus.PUBLISHED, DemandStatus.CLOSED])
    if is_torch_staff(user):
        pass
    elif is_host_staff(user):
        queryset = queryset.filter(host_unit_id__in=staffed_host_unit_ids(user))
    else:
        ids = selectors.commissioned_demand_ids(user)
        if not ids:
            raise Http404
        queryset = queryset.filter(pk__in=ids)
    queryset = (queryset.select_related("host_unit").only(
        "ref", "title", "status", "published_at", "host_unit__name", "public_snapshot")
        .annotate(recommendation_count=Count("recommendations", distinct=True),
                  invitation_count=Count("invitations", distinct=True))
        .order_by("-published_at", "-pk"))
    page_obj = _page(request, queryset)
    return render(request, "matching/demands.html", {
        "page_obj": page_obj, "demands": page_obj.object_list,
        "may_record": is_host_staff(user)})


def _demand(ref):
    return get_object_or_404(Demand.objects.select_related("host_unit", "industry_field"),
                             ref=ref)


@login_required
@require_safe
def recommendations(request, ref):
    demand = _demand(ref)
    _or_404(request.user, "matching.view_recommendations", demand)
    rows = list(selectors.recommendations_for(demand, request.user))
    may_invite = request.user.has_perm("matching.invite", demand)
    invited = set(Invitation.objects.filter(demand=demand).values_list("holder_id", flat=True))
    holders = {}
    for row in rows:
        holder = holders.setdefault(row.achievement.owner_id, {
            "organisation": row.achievement.owner, "score": 0.0, "achievements": []})
        holder["score"] += row.score
        holder["achievements"].append(row)
    return render(request, "matching/recommendations.html", {
        "demand": demand, "public": demand.public_snapshot or {}, "rows": rows,
        "holders": sorted(holders.values(), key=lambda item: -item["score"]),
        "may_invite": may_invite, "invited": invited, "invite_form": InviteForm(),
        "is_published": demand.status == DemandStatus.PUBLISHED,
    })


@login_required
@require_POST
def invite(request, ref):
    demand = _demand(ref)
    if not request.user.has_perm("matching.invite", demand):
        raise Http404
    form = InviteForm(request.POST)
    if form.is_valid():
        achievement = None
        if form.cleaned_data.get("achievement"):
            achievement = selectors.achievements_visible_to(request.user).filter(
                pk=form.cleaned_data["achievement"],
                owner=form.cleaned_data["holder"]).first()
        try:
            invitations.invite(demand, form.cleaned_data["holder"], actor=request.user,
                               achievement=achievement, message=form.cleaned_data["message"],
                               request=request)
        except DomainError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The holder is invited."))
    else:
        messages.error(request, _("Choose a holder to invite."))
    return redirect("matching:recommendations", ref=demand.ref)


@login_required
@require_safe
def invitation_list(request):
    received = (selectors.invitations_received_by(request.user)
                .select_related("demand", "holder").order_by("-created_at", "-pk"))
    sent = (selectors.invitations_visible_to(request.user)
            .exclude(pk__in=received.values("pk"))
            .select_related("demand", "holder").order_by("-created_at", "-pk"))
    return render(request, "matching/invitations.html", {
        "received": received[:100], "sent": sent[:100]})


@login_required
@require_safe
def invitation_detail(request, pk):
    invitation = get_object_or_404(
        Invitation.objects.select_related("demand__host_unit", "holder", "achievement",
                                          "commission__agency"), pk=pk)
    _or_404(request.user, "matching.view_invitation", invitation)
    return render(request, "matching/invitation_detail.html", {
        "invitation": invitation, "public": invitation.demand.public_snapshot or {},
        "may_answer": permissions.can_answer_invitation.test(request.user, invitation),
        "history": invitation.transitions.select_related("actor"),
        "is_sent": invitation.state == InvitationState.SENT,
    })


@login_required
@require_POST
def invitation_answer(request, pk):
    invitation = get_object_or_404(Invitation.objects.select_related("demand"), pk=pk)
    _or_404(request.user, "matching.view_invitation", invitation)
    form = AnswerForm(request.POST)
    if form.is_valid():
        answer = (invitations.accept if form.cleaned_data["to"] == "accept"
                  else invitations.decline)
        try:
            answer(invitation, actor=request.user, reason=form.cleaned_data["comment"],
                   request=request)
        except DomainError as error:
            show_error(request, error)
    return redirect(invitation.get_absolute_url())


# --- commissions --------------------------------------------------------------------------------
@login_required
@require_safe
def commission_list(request):
    queryset = selectors.commissions_visible_to(request.user)
    if not (is_host_staff(request.user) or is_torch_staff(request.user)
            or queryset.exists()):
        raise Http404
    page_obj = _page(request, queryset.select_related("host_unit", "agency"))
    return render(request, "matching/commissions.html", {
        "page_obj": page_obj, "commissions": page_obj.object_list,
        "may_create": is_host_staff(request.user)})


@login_required
def commission_create(request):
    unit_ids = staffed_host_unit_ids(request.user)
    if not unit_ids:
        raise Http404
    host_units = HostUnit.objects.filter(pk__in=unit_ids)
    demands = Demand.objects.filter(host_unit_id__in=unit_ids,
                                    status=DemandStatus.PUBLISHED).order_by("-published_at")
    form = CommissionForm(request.POST or None, host_units=host_units, demands=demands)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commission = agencies.commission_agency(
                host_unit=data["host_unit"], agency=data["agency"], scopes=data["scopes"],
                starts_on=data["starts_on"], ends_on=data["ends_on"],
                demands=data["demands"], actor=request.user, request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The agency is commissioned."))
            return redirect(commission.get_absolute_url())
    return render(request, "matching/commission_form.html", {"form": form})


@login_required
@require_safe
def commission_detail(request, pk):
    commission = get_object_or_404(Commission.objects.select_related("host_unit", "agency"),
                                   pk=pk)
    _or_404(request.user, "matching.view_commission", commission)
    return render(request, "matching/commission_detail.html", {
        "commission": commission,
        "demands": commission.demands.select_related("industry_field").order_by("ref"),
        "may_end": permissions.can_end_commission.test(request.user, commission),
        "history": commission.transitions.select_related("actor"),
        "invitations": commission.invitations.select_related("demand", "holder")[:100],
    })


@login_required
@require_POST
def commission_end(request, pk):
    commission = get_object_or_404(Commission, pk=pk)
    _or_404(request.user, "matching.view_commission", commission)
    try:
        agencies.end_commission(commission, actor=request.user,
                                reason=posted_text(request, "reason", max_length=1000),
                                request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The commission has ended."))
    return redirect(commission.get_absolute_url())


# --- intention agreements -----------------------------------------------------------------------
def _partners(demand):
    """Organisations that answered the demand: invited holders, and the organisations of
    challengers who asked for its details."""
    from demands.models import AccessRequest

    users = AccessRequest.objects.filter(demand=demand).values("user_id")
    return (Organisation.objects.filter(
        Q(invitations__demand=demand)
        | Q(memberships__user__in=users, memberships__state=MembershipState.ACTIVE))
        .exclude(pk=demand.organisation_id).distinct().order_by("name"))


@login_required
def agreement_create(request, ref):
    demand = _demand(ref)
    if not permissions.can_record_agreement.test(request.user, demand):
        raise Http404
    form = AgreementForm(request.POST or None, request.FILES or None,
                         partners=_partners(demand))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = agreements.record_agreement(
                demand, data["partner"], cooperation_mode=data["cooperation_mode"],
                amount=data["amount"], signed_on=data["signed_on"], actor=request.user,
                request=request)
            if data.get("signed_file"):
                stored = store_upload(data["signed_file"], kind=FileKind.AGREEMENT,
                                      uploaded_by=request.user, attach_to=agreement)
                IntentionAgreement.objects.filter(pk=agreement.pk).update(signed_file=stored)
        except DomainError as error:
            show_error(request, error, form)
        except ValidationError as error:
            form.add_error("signed_file", error)
        else:
            messages.success(request, _("The agreement is recorded; both sides now confirm it."))
            return redirect(agreement.get_absolute_url())
    return render(request, "matching/agreement_form.html", {
        "form": form, "demand": demand, "public": demand.public_snapshot or {}})


@login_required
@require_safe
def agreement_detail(request, pk):
    agreement = get_object_or_404(
        IntentionAgreement.objects.select_related("demand", "partner", "signed_file",
                                                  "owner_confirmed_by",
                                                  "partner_confirmed_by"), pk=pk)
    _or_404(request.user, "matching.view_intentionagreement", agreement)
    return render(request, "matching/agreement_detail.html", {
        "agreement": agreement, "public": agreement.demand.public_snapshot or {},
        "may_confirm": permissions.can_confirm_agreement.test(request.user, agreement),
        "history": agreement.transitions.select_related("actor"),
    })


@login_required
@require_POST
def agreement_confirm(request, pk):
    agreement = get_object_or_404(IntentionAgreement, pk=pk)
    _or_404(request.user, "matching.view_intentionagreement", agreement)
    try:
        agreements.confirm(agreement, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your side's confirmation is recorded."))
    return redirect(agreement.get_absolute_url())
