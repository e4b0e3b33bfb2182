from django.urls import path

from . import subsidy_views, views

app_name = "awards"

urlpatterns = [
    path("", views.award_list, name="list"),
    path("rounds/<int:round_pk>/new/", views.award_create, name="create"),
    path("<int:pk>/", views.award_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.award_acknowledge, name="acknowledge"),
    path("<int:pk>/payment/", views.award_payment, name="payment"),
    path("<int:pk>/receipt/", views.award_receipt, name="receipt"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/agreements/<int:agreement_pk>/new/", views.contract_create,
         name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/flag/", views.contract_flag, name="contract_flag"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:pk>/step/", views.service_step, name="service_step"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up"),
    path("subsidies/", subsidy_views.subsidy_list, name="subsidies"),
    path("subsidies/queue/", subsidy_views.subsidy_queue, name="subsidy_queue"),
    path("subsidies/units/<slug:slug>/", subsidy_views.policy_list, name="subsidy_policies"),
    path("subsidies/units/<slug:slug>/new/", subsidy_views.policy_create,
         name="subsidy_policy_create"),
    path("subsidies/policies/<int:pk>/edit/", subsidy_views.policy_edit,
         name="subsidy_policy_edit"),
    path("subsidies/policies/<int:pk>/apply/", subsidy_views.subsidy_apply,
         name="subsidy_apply"),
    path("subsidies/<int:pk>/", subsidy_views.subsidy_detail, name="subsidy_detail"),
    path("subsidies/<int:pk>/step/", subsidy_views.subsidy_step, name="subsidy_step"),
]
