from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import HostUnit


def home(request):
    contest = selectors.current_contest()
    events = selectors.events_with_hosts(contest) if contest else []
    return render(request, "contests/home.html", {"contest": contest, "events": events})


def event_list(request):
    contest = selectors.current_contest()
    events = selectors.events_with_hosts(contest) if contest else []
    return render(request, "contests/event_list.html", {"contest": contest, "events": events})


def event_detail(request, number):
    contest = selectors.current_contest()
    event = get_object_or_404(selectors.events_with_hosts(contest), number=number)
    return render(request, "contests/event_detail.html", {"contest": contest, "event": event})


def host_detail(request, slug):
    host = get_object_or_404(
        HostUnit.objects.select_related("event").prefetch_related("fields"), slug=slug
    )
    return render(request, "contests/host_detail.html", {"host": host})
