"""Routes of the push. ``challenge_portal/urls.py`` serves them under /notifications/ in the
``notifications`` namespace, where they have always been (``notifications:subscriptions``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/new/", views.subscription_create, name="subscription_create"),
    path("subscriptions/delivery/", views.subscription_delivery,
         name="subscription_delivery"),
    path("subscriptions/<int:pk>/edit/", views.subscription_edit, name="subscription_edit"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete,
         name="subscription_delete"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/toggle/", views.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_pk>/retry/",
         views.webhook_delivery_retry, name="webhook_delivery_retry"),
]
