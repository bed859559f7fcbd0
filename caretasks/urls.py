from django.urls import path

from . import views

app_name = "caretasks"

urlpatterns = [
    path("care/tasks/", views.task_list, name="list"),
    path("care/tasks/<int:pk>/close/", views.task_close, name="close"),
    path("care/tasks/<int:pk>/photo", views.task_photo, name="photo"),
    path("care/events/new/", views.event_new, name="event_new"),
]
