from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/deleted/", views.deleted_activities, name="deleted_list"),
    path("activities/participation/", views.participation, name="participation"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/restore/", views.activity_restore, name="activity_restore"),
    path("activities/files/<int:pk>/", views.attachment_file, name="attachment"),
    path(
        "activities/files/<int:pk>/thumb/",
        views.attachment_file,
        {"variant": "thumb"},
        name="attachment_thumb",
    ),
    path("activities/calendar/<int:pk>/", views.group_calendar, name="calendar"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/overdue/", views.report_overdue, name="report_overdue"),
    path("reports/review/", views.report_review, name="report_review"),
    path("reports/review/approve/", views.report_approve_many, name="report_approve_many"),
    path("reports/export.xlsx", views.report_export, name="report_export"),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/", views.report_detail, name="report_detail"
    ),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/save/",
        views.report_save,
        name="report_save",
    ),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/submit/",
        views.report_submit,
        name="report_submit",
    ),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/return/",
        views.report_return,
        name="report_return",
    ),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/approve/",
        views.report_approve,
        name="report_approve",
    ),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/files/",
        views.report_file_add,
        name="report_file_add",
    ),
    path("reports/files/<int:pk>/", views.report_file, name="report_file"),
    path(
        "reports/files/<int:pk>/thumb/",
        views.report_file,
        {"variant": "thumb"},
        name="report_file_thumb",
    ),
    path("reports/files/<int:pk>/remove/", views.report_file_remove, name="report_file_remove"),
    path(
        "reports/<int:group_pk>/<int:year>-<int:month>/print/",
        views.report_print,
        name="report_print",
    ),
]
