from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import safe_next

from . import selectors, services
from .forms import PreferencesForm

PAGE_SIZE = 20


def _back_to_inbox(request):
    return redirect(safe_next(request, reverse("notifications:inbox")))


@login_required
def inbox(request):
    page_obj = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page_obj": page_obj,
        "notifications": page_obj.object_list,
    })


@login_required
@require_POST
def mark_read(request, pk):
    notification = services.mark_read(request.user, pk)
    if notification is None:
        raise Http404
    if request.htmx:
        return render(request, "notifications/includes/notification.html",
                      {"notification": notification, "oob_badge": True})
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back_to_inbox(request)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, modes=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.modes())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
