"""Routes of the public side (list, detail, feeds, export, access to hidden details), added to
``demands/urls.py``. A reference looks like ``6-07-0042``, so it never shadows a word route."""

from django.urls import path, register_converter

from . import feeds
from . import views as public_views


class RefConverter:
    regex = r"\d{1,3}-\d{2,3}-\d{4,6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RefConverter, "demandref")

urlpatterns = [
    path("", public_views.demand_list, name="list"),
    path("export.csv", public_views.export_csv, name="export"),
    path("feed/", feeds.LatestDemandsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestDemandsAtomFeed(), name="feed_atom"),
    path("feed/national/", feeds.NationalDemandsFeed(), name="feed_national"),
    path("feed/event/<int:number>/", feeds.EventDemandsFeed(), name="feed_event"),
    path("feed/field/<slug:code>/", feeds.FieldDemandsFeed(), name="feed_field"),
    path("<demandref:ref>/", public_views.demand_detail, name="detail"),
    path("<demandref:ref>/full/", public_views.demand_full, name="full"),
    path("<demandref:ref>/national/", public_views.toggle_national, name="national"),
    path("<demandref:ref>/access/", public_views.access_manage, name="access_manage"),
    path("<demandref:ref>/access/request/", public_views.request_access, name="access_request"),
    path("<demandref:ref>/access/<int:pk>/decide/", public_views.access_decide,
         name="access_decide"),
]
