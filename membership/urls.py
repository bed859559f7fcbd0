from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    # The public side: no login.
    path("join/status/", views.join_status, name="join_status"),
    path("join/<str:token>/", views.join, name="join"),
    path("membership/applications/", views.application_list, name="application_list"),
    path("membership/applications/new/", views.application_create, name="application_create"),
    path("membership/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "membership/applications/<int:pk>/approve/",
        views.application_approve,
        name="application_approve",
    ),
    path(
        "membership/applications/<int:pk>/return/",
        views.application_return,
        name="application_return",
    ),
    path("membership/links/", views.link_list, name="link_list"),
    path("membership/links/<int:pk>/poster/", views.link_poster, name="link_poster"),
    path("membership/links/<int:pk>/close/", views.link_close, name="link_close"),
    path("membership/employees/", views.employee_counts, name="employee_counts"),
    path("membership/employees/import/", views.employee_import, name="employee_import"),
    path("members/<int:pk>/transfer/", views.transfer_create, name="transfer_create"),
    path("members/<int:pk>/retire/", views.member_retire, name="member_retire"),
    path("membership/transfers/<int:pk>/letter/", views.transfer_letter, name="transfer_letter"),
]
