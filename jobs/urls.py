from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<int:pk>/", views.job_detail, name="detail"),
    path("jobs/<int:pk>/status", views.job_status, name="status"),
    path("jobs/<int:pk>/file", views.job_download, name="download"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="retry"),
]
