from django.urls import path

from . import views

app_name = "democracy"

urlpatterns = [
    path("democracy/", views.overview, name="overview"),
    path("democracy/<int:year>/confirm/", views.confirm, name="confirm"),
]
