from django.urls import path

from . import views

app_name = "solutions"
urlpatterns = [
    path("mine/", views.my_solutions, name="mine"),
    path("board/", views.board, name="board"),
    path("answer/<str:ref>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("demand/<str:ref>/", views.demand_list, name="demand_list"),
    path("demand/<str:ref>/compare/", views.compare, name="compare"),
    path("demand/<str:ref>/export/", views.export, name="export"),
    path("demand/<str:ref>/respond/", views.respond, name="respond"),
    path("demand/<str:ref>/questions/", views.questions, name="questions"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/publish/", views.publish_thread, name="publish"),
]
