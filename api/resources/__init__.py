"""The API's resources, one module each; the URLs and the index are built from
:data:`RESOURCES`.

A new resource (as public achievements, from ``matching.public``) is a module here with a
list view and a detail view on :class:`api.base.PublicDataView`, reading only the app's public
projection, and one ``Resource(...)`` line below; the leak suite then crawls it
(``tests/harness/leak_sources.py`` seeds every resource listed here)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    name: str             # the URL segment and the URL names' stem: "demands" → api:demands-list
    list_view: type
    detail_view: type
    lookup: str           # the detail URL's argument, e.g. "<str:ref>"
    description: str = ""


def resources():
    from . import achievements, contests, demands

    return [
        Resource("demands", demands.DemandList, demands.DemandDetail, "<str:ref>",
                 "Published demands, from their public projection."),
        Resource("events", contests.EventList, contests.EventDetail, "<int:number>",
                 "Events of the current contest, with their host units."),
        Resource("host-units", contests.HostUnitList, contests.HostUnitDetail, "<slug:slug>",
                 "Host units, with the stage dates of their approved work plans."),
        Resource("notices", contests.NoticeList, contests.NoticeDetail, "<int:id>",
                 "Published challenge notices."),
        Resource("achievements", achievements.AchievementList, achievements.AchievementDetail,
                 "<int:id>", "Public achievements of the achievement library."),
    ]
