from django.db.models import Prefetch

from .models import Contest, Event, HostUnit


def current_contest():
    return Contest.objects.filter(is_current=True).first()


def events_with_hosts(contest):
    """The contest's events with their fields and host units, in three queries."""
    return (
        Event.objects.filter(contest=contest)
        .prefetch_related(
            "fields",
            Prefetch("host_units", queryset=HostUnit.objects.prefetch_related("fields")),
        )
        .order_by("number")
    )
