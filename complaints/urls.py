from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("handle/", views.handle, name="handle"),
    path("disputes/new/", views.dispute_create, name="dispute_create"),
    path("disputes/<str:number>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<str:number>/position/", views.dispute_position, name="dispute_position"),
    path("disputes/<str:number>/mediation/", views.dispute_mediation, name="dispute_mediation"),
    path("disputes/<str:number>/close/", views.dispute_close, name="dispute_close"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/", views.act, name="act"),
    path("<str:number>/feedback/", views.feedback, name="feedback"),
    path("<str:number>/add/", views.add, name="add"),
    path("<str:number>/note/", views.note, name="note"),
    path("<str:number>/share/", views.share, name="share"),
    path("<str:number>/take-over/", views.take_over, name="take_over"),
    path("<str:number>/reviewer/", views.assign_reviewer, name="assign_reviewer"),
    path("<str:number>/audit.csv", views.audit_export, name="audit_export"),
    path("<str:number>/party/", views.party, name="party"),
]
