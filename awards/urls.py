from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.award_list, name="list"),
    path("rounds/<int:round_pk>/new/", views.award_create, name="create"),
    path("<int:pk>/", views.award_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.award_acknowledge, name="acknowledge"),
    path("<int:pk>/payment/", views.award_payment, name="payment"),
    path("<int:pk>/receipt/", views.award_receipt, name="receipt"),
]
