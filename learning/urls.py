from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("learning/", views.home, name="home"),
    path("learning/competitions/", views.competition_list, name="competition_list"),
    path("learning/competitions/new/", views.competition_new, name="competition_new"),
    path("learning/competitions/<int:pk>/", views.competition_detail, name="competition_detail"),
    path("learning/competitions/<int:pk>/edit/", views.competition_edit, name="competition_edit"),
    path("learning/competitions/<int:pk>/results/", views.results, name="results"),
    path("learning/competitions/<int:pk>/import/", views.results_import, name="results_import"),
    path(
        "learning/competitions/<int:pk>/template.xlsx",
        views.results_template,
        name="results_template",
    ),
    path("learning/groups/<int:pk>/", views.group_learning, name="group"),
    path("learning/groups/<int:pk>/lessons/new/", views.lesson_new, name="lesson_new"),
    path("learning/lessons/<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("learning/members/<int:pk>/", views.member_learning, name="member"),
    path("learning/members/<int:pk>/records/new/", views.record_new, name="record_new"),
    path("learning/records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("learning/records/<int:pk>/file", views.record_file, name="record_file"),
]
