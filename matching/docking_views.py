"""Pages of docking sessions: host staff schedule, change, cancel and record minutes;
participants confirm or decline and download the iCalendar file; everyone's personal feed."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.enums import MembershipState
from common.errors import DomainError, show_error
from contests.models import HostMembership, HostUnit
from contests.permissions import staffed_host_unit_ids
from demands.enums import DemandStatus
from demands.models import Demand

from . import selectors
from .forms import DockingForm, MinutesForm
from .models import CalendarFeed, DockingSession, Invitation
from .services import docking
from .views import _page

ICS = "text/calendar; charset=utf-8"


def _session(request, pk, perm="matching.view_dockingsession"):
    session = get_object_or_404(DockingSession.objects.select_related("host_unit"), pk=pk)
    if not request.user.has_perm(perm, session):
        raise Http404
    return session


@login_required
@require_safe
def docking_list(request):
    sessions = (selectors.sessions_visible_to(request.user).select_related("host_unit")
                .order_by("-starts_at", "-pk"))
    page_obj = _page(request, sessions)
    return render(request, "matching/docking_list.html", {
        "page_obj": page_obj, "sessions": page_obj.object_list,
        "may_schedule": bool(staffed_host_unit_ids(request.user))})


def _choices(units):
    demands = Demand.objects.filter(host_unit__in=units, status=DemandStatus.PUBLISHED)
    # Who may take part: the demands' owners, challengers who asked for access, invited
    # holders' members, the units' staff, the demands' experts.
    users = get_user_model().objects.filter(
        Q(memberships__organisation__demands__in=demands,
          memberships__state=MembershipState.ACTIVE)
        | Q(demand_access_requests__demand__in=demands)
        | Q(memberships__organisation__in=Invitation.objects.filter(
            demand__in=demands).values("holder"), memberships__state=MembershipState.ACTIVE)
        | Q(pk__in=HostMembership.objects.filter(host_unit__in=units).values("user"))
        | Q(demand_assignments__demand__in=demands)
    ).distinct().order_by("email")
    return demands.order_by("-published_at"), users


def _form_page(request, session):
    units = HostUnit.objects.filter(pk__in=staffed_host_unit_ids(request.user))
    if not units.exists():
        raise Http404
    demands, users = _choices(units)
    initial = None
    if session.pk:
        initial = {"host_unit": session.host_unit, "title": session.title,
                   "demands": list(session.demands.all()), "mode": session.mode,
                   "venue": session.venue, "link": session.link,
                   "starts_at": timezone.localtime(session.starts_at),
                   "ends_at": timezone.localtime(session.ends_at), "agenda": session.agenda,
                   "participants": [p.user for p in session.participants.all()]}
    form = DockingForm(request.POST or None, initial=initial, host_units=units,
                       demands=demands, users=users)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in ("host_unit", "title", "mode", "venue", "link", "starts_at", "ends_at",
                     "agenda"):
            setattr(session, name, data[name])
        try:
            if session.pk:
                docking.update(session, demands=data["demands"],
                               participants=data["participants"], actor=request.user,
                               request=request)
            else:
                docking.schedule(session, demands=data["demands"],
                                 participants=data["participants"], actor=request.user,
                                 request=request)
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The participants are invited."))
            return redirect(session.get_absolute_url())
    return render(request, "matching/docking_form.html", {"form": form, "session": session})


@login_required
def docking_create(request):
    return _form_page(request, DockingSession())


@login_required
def docking_edit(request, pk):
    return _form_page(request, _session(request, pk, "matching.change_dockingsession"))


@login_required
@require_safe
def docking_detail(request, pk):
    session = _session(request, pk)
    participants = session.participants.select_related("user").order_by("user__email")
    mine = next((p for p in participants if p.user_id == request.user.pk), None)
    return render(request, "matching/docking_detail.html", {
        "session": session, "participants": participants, "mine": mine,
        "demands": session.demands.order_by("ref"),
        "may_manage": request.user.has_perm("matching.change_dockingsession", session),
        "minutes_form": MinutesForm(initial={"minutes": session.minutes,
                                             "outcome": session.outcome}),
    })


@login_required
@require_POST
def docking_answer(request, pk):
    session = _session(request, pk)
    try:
        docking.answer(session, user=request.user,
                       confirmed=request.POST.get("answer") == "confirm", request=request)
    except DomainError as error:
        show_error(request, error)
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def docking_cancel(request, pk):
    session = _session(request, pk, "matching.change_dockingsession")
    try:
        docking.cancel(session, actor=request.user, request=request)
    except DomainError as error:
        show_error(request, error)
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def docking_minutes(request, pk):
    session = _session(request, pk, "matching.change_dockingsession")
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            docking.record_minutes(session, actor=request.user, request=request,
                                   **form.cleaned_data)
        except DomainError as error:
            show_error(request, error)
    else:
        messages.error(request, _("Write the minutes and the outcome."))
    return redirect(session.get_absolute_url())


@login_required
@require_safe
def docking_ics(request, pk):
    session = _session(request, pk)
    response = HttpResponse(docking.session_calendar(session), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="docking-{session.pk}.ics"'
    return response


@login_required
def feed_settings(request):
    if request.method == "POST":
        docking.feed_for(request.user, renew=True)
        messages.success(request, _("A new address replaces the old one, which no longer "
                                    "works."))
        return redirect("matching:feed_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first() or docking.feed_for(
        request.user)
    return render(request, "matching/feed.html", {
        "feed_url": request.build_absolute_uri(
            reverse("matching:feed", kwargs={"token": feed.token}))})


@require_safe
def feed(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    # The sessions the user takes part in, and those of the host units they staff.
    sessions = DockingSession.objects.filter(
        Q(participants__user=feed.user)
        | Q(host_unit_id__in=staffed_host_unit_ids(feed.user))).distinct().order_by("starts_at")
    return HttpResponse(docking.calendar(sessions), content_type=ICS)
