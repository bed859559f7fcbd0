from django.urls import path

from .views import archive, care, cases, publicity

app_name = "welfare"

urlpatterns = [
    path("welfare/cases/", cases.case_list, name="case_list"),
    path("welfare/cases/new/", cases.case_create, name="case_create"),
    path("welfare/cases/export.xlsx", cases.case_export, name="case_export"),
    path("welfare/cases/batch/", cases.case_batch, name="case_batch"),
    path("welfare/cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("welfare/cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("welfare/cases/<int:pk>/print/", cases.case_print, name="case_print"),
    path("welfare/cases/<int:pk>/step/<str:step>/", cases.case_step, name="case_step"),
    path("welfare/cases/<int:pk>/documents/", cases.case_document_add, name="document_add"),
    path(
        "welfare/cases/<int:pk>/papers/<int:requirement_pk>/",
        cases.case_paper_received,
        name="paper_received",
    ),
    path("welfare/cases/<int:pk>/waive/", cases.case_waive, name="case_waive"),
    path("welfare/cases/<int:pk>/objections/", cases.objection_add, name="objection_add"),
    path(
        "welfare/cases/<int:pk>/objections/<int:objection_pk>/answer/",
        cases.objection_answer,
        name="objection_answer",
    ),
    path("welfare/publicity/", publicity.publicity, name="publicity"),
    path("welfare/documents/<int:pk>/", cases.case_document, name="document"),
    path("welfare/archive/", archive.archive_list, name="archive_list"),
    path("welfare/archive/new/", archive.archive_create, name="archive_create"),
    path("welfare/archive/export.xlsx", archive.archive_export_view, name="archive_export"),
    path("welfare/archive/<int:pk>/", archive.archive_detail, name="archive_detail"),
    path("welfare/archive/<int:pk>/edit/", archive.archive_edit, name="archive_edit"),
    path("welfare/archive/<int:pk>/review/", archive.archive_review, name="archive_review"),
    path("welfare/archive/<int:pk>/exit/", archive.archive_exit, name="archive_exit"),
    path("welfare/archive/<int:pk>/print/", archive.archive_print, name="archive_print"),
    path("welfare/care/<int:pk>/", care.care, name="care"),
    path("welfare/visits/new/", care.visit_create, name="visit_create"),
    path("welfare/access-log/", archive.access_log, name="access_log"),
]
