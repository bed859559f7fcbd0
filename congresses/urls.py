from django.urls import path

from . import views

app_name = "congresses"

urlpatterns = [
    path("congresses/", views.session_list, name="session_list"),
    path("congresses/new/<str:level>/", views.session_create, name="session_create"),
    path("congresses/approvals/", views.approvals, name="approvals"),
    path("congresses/<int:pk>/", views.session_detail, name="session_detail"),
    path("congresses/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("congresses/<int:pk>/declare/", views.session_declare, name="session_declare"),
    path("congresses/<int:pk>/approve/", views.session_approve, name="session_approve"),
    path("congresses/<int:pk>/return/", views.session_return, name="session_return"),
    path("congresses/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("congresses/<int:pk>/hold/", views.session_hold, name="session_hold"),
    path("congresses/<int:pk>/fail/", views.session_fail, name="session_fail"),
    path("congresses/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("congresses/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("congresses/<int:pk>/motions/new/", views.motion_add, name="motion_add"),
    path("congresses/<int:pk>/resolutions/new/", views.resolution_add, name="resolution_add"),
    path("congresses/<int:pk>/declaration/", views.print_declaration, name="print_declaration"),
    path("congresses/<int:pk>/minutes/print/", views.print_minutes, name="print_minutes"),
    path("congresses/motions/<int:pk>/decide/", views.motion_decide, name="motion_decide"),
    path("congresses/photos/<int:pk>/", views.photo, name="photo"),
    path("congresses/terms/", views.term_list, name="term_list"),
    path("congresses/terms/new/<str:level>/", views.term_create, name="term_create"),
    path("congresses/terms/<int:pk>/", views.term_detail, name="term_detail"),
    path("congresses/terms/<int:pk>/delegations/", views.delegation_add, name="delegation_add"),
    path(
        "congresses/terms/<int:pk>/representatives/new/",
        views.representative_add,
        name="representative_add",
    ),
]
