from django.urls import path

from . import registration_views, summary_views, views

app_name = "contests"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/<int:number>/", views.event_detail, name="event_detail"),
    path("hosts/<slug:slug>/", views.host_detail, name="host_detail"),
    # host organisers
    path("organiser/", views.organiser_home, name="organiser_home"),
    path("organiser/<slug:slug>/work-plan/", views.work_plan_edit, name="work_plan_edit"),
    path("organiser/<slug:slug>/notices/", views.notice_list, name="notice_list"),
    path("organiser/<slug:slug>/notices/new/", views.notice_edit, name="notice_create"),
    path("organiser/<slug:slug>/notices/<int:pk>/", views.notice_edit, name="notice_edit"),
    path("organiser/<slug:slug>/notices/<int:pk>/publish/", views.notice_publish,
         name="notice_publish"),
    path("organiser/<slug:slug>/complaint-channels/", views.complaint_channels,
         name="complaint_channels"),
    path("organiser/<slug:slug>/complaint-channels/<int:pk>/", views.complaint_channels,
         name="complaint_channel_edit"),
    path("organiser/<slug:slug>/complaint-channels/<int:pk>/delete/",
         views.complaint_channel_delete, name="complaint_channel_delete"),
    # host registration (contests.registration)
    path("host-registration/", registration_views.apply, name="host_apply"),
    path("host-registration/join/<str:token>/", registration_views.join,
         name="host_invitation_join"),
    path("host-registration/invitations/<int:pk>/accept/", registration_views.accept_invitation,
         name="host_invitation_accept"),
    path("organiser/<slug:slug>/colleagues/", registration_views.colleagues, name="colleagues"),
    path("organiser/<slug:slug>/colleagues/<int:pk>/remove/",
         registration_views.remove_colleague, name="colleague_remove"),
    path("organiser/<slug:slug>/invitations/<int:pk>/revoke/",
         registration_views.revoke_invitation, name="host_invitation_revoke"),
    path("torch/host-applications/", registration_views.application_list,
         name="host_applications"),
    path("torch/host-applications/<int:pk>/", registration_views.application_detail,
         name="host_application"),
    # summary reports (contests.summary_views)
    path("organiser/<slug:slug>/summary-report/", summary_views.summary_edit,
         name="summary_edit"),
    path("summary-reports/<int:pk>/print/", summary_views.summary_print, name="summary_print"),
    path("torch/summary-reports/", summary_views.torch_summaries, name="torch_summaries"),
    path("torch/summary-reports/<int:pk>/", summary_views.torch_summary, name="torch_summary"),
    # Torch Center staff
    path("torch/workplans/", views.torch_work_plans, name="torch_work_plans"),
    path("torch/workplans/<int:pk>/", views.torch_work_plan, name="torch_work_plan"),
]
