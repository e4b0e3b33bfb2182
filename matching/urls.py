from django.urls import path

from . import views

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
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm, name="agreement_confirm"),
]
