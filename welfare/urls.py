from django.urls import path

from . import views

app_name = "welfare"

urlpatterns = [
    path("welfare/cases/", views.case_list, name="case_list"),
    path("welfare/cases/new/", views.case_create, name="case_create"),
    path("welfare/cases/export.xlsx", views.case_export, name="case_export"),
    path("welfare/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("welfare/cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("welfare/cases/<int:pk>/print/", views.case_print, name="case_print"),
    path("welfare/cases/<int:pk>/step/<str:step>/", views.case_step, name="case_step"),
    path("welfare/cases/<int:pk>/documents/", views.case_document_add, name="document_add"),
    path(
        "welfare/cases/<int:pk>/papers/<int:requirement_pk>/",
        views.case_paper_received,
        name="paper_received",
    ),
    path("welfare/documents/<int:pk>/", views.case_document, name="document"),
    path("welfare/archive/", views.archive_list, name="archive_list"),
    path("welfare/archive/new/", views.archive_create, name="archive_create"),
    path("welfare/archive/export.xlsx", views.archive_export_view, name="archive_export"),
    path("welfare/archive/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("welfare/archive/<int:pk>/edit/", views.archive_edit, name="archive_edit"),
    path("welfare/archive/<int:pk>/review/", views.archive_review, name="archive_review"),
    path("welfare/archive/<int:pk>/exit/", views.archive_exit, name="archive_exit"),
    path("welfare/archive/<int:pk>/print/", views.archive_print, name="archive_print"),
    path("welfare/care/<int:pk>/", views.care, name="care"),
    path("welfare/visits/new/", views.visit_create, name="visit_create"),
    path("welfare/access-log/", views.access_log, name="access_log"),
]
