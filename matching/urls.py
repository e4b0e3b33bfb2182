from django.urls import path

from . import docking_views, views

app_name = "matching"

urlpatterns = [
    path("achievements/", views.library_list, name="library"),
    path("achievements/mine/", views.my_achievements, name="my_achievements"),
    path("achievements/new/", views.achievement_create, name="achievement_create"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("achievements/<int:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("demands/", views.demand_list, name="demands"),
    path("demands/<str:ref>/recommendations/", views.recommendations, name="recommendations"),
    path("demands/<str:ref>/invite/", views.invite, name="invite"),
    path("demands/<str:ref>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
    path("commissions/", views.commission_list, name="commissions"),
    path("commissions/new/", views.commission_create, name="commission_create"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/end/", views.commission_end, name="commission_end"),
    path("docking/", docking_views.docking_list, name="docking"),
    path("docking/new/", docking_views.docking_create, name="docking_create"),
    path("docking/feed/", docking_views.feed_settings, name="feed_settings"),
    path("docking/feed/<str:token>.ics", docking_views.feed, name="feed"),
    path("docking/<int:pk>/", docking_views.docking_detail, name="docking_detail"),
    path("docking/<int:pk>/edit/", docking_views.docking_edit, name="docking_edit"),
    path("docking/<int:pk>/answer/", docking_views.docking_answer, name="docking_answer"),
    path("docking/<int:pk>/cancel/", docking_views.docking_cancel, name="docking_cancel"),
    path("docking/<int:pk>/minutes/", docking_views.docking_minutes, name="docking_minutes"),
    path("docking/<int:pk>/calendar.ics", docking_views.docking_ics, name="docking_ics"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm, name="agreement_confirm"),
]
