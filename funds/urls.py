from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.overview, name="overview"),
    path("funds/budget/", views.budget_edit, name="budget_edit"),
    path("funds/income/", views.income_create, name="income_create"),
    path("funds/batches/", views.batch_list, name="batch_list"),
    path("funds/batches/open/", views.batch_open, name="batch_open"),
    path("funds/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path(
        "funds/batches/<int:pk>/lines/<int:line_pk>/remove/", views.line_remove, name="line_remove"
    ),
    path("funds/batches/<int:pk>/transfer.xlsx", views.batch_workbook, name="batch_workbook"),
    path("funds/batches/<int:pk>/sheet/", views.batch_sheet, name="batch_sheet"),
    path("funds/batches/<int:pk>/close/", views.batch_close_transfer, name="batch_close_transfer"),
    path("funds/batches/<int:pk>/signed/", views.batch_upload_sheet, name="batch_upload_sheet"),
    path("funds/batches/<int:pk>/signed-sheet/", views.signed_sheet, name="signed_sheet"),
    path("funds/statement/", views.statement, name="statement"),
    path("funds/statement.xlsx", views.statement_export, name="statement_export"),
    path("funds/accounts/<int:member_pk>/", views.account, name="account"),
]
