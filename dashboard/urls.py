from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("todo/", views.todo, name="todo"),
    path("summary/", views.summary, name="summary"),
    path("summary.xlsx", views.summary_export, name="summary_export"),
]
