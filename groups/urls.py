from django.urls import path

from . import import_views, views

app_name = "groups"

urlpatterns = [
    path("org/", views.org_tree, name="org_tree"),
    path("org/workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("org/groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("org/groups/<int:pk>/posts/", views.group_posts, name="group_posts"),
    path("members/", views.member_list, name="member_list"),
    path("members/export.<str:fmt>", views.member_export_view, name="member_export"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/import/", import_views.member_import, name="member_import"),
    path(
        "members/import/confirm/",
        import_views.member_import_confirm,
        name="member_import_confirm",
    ),
    path(
        "members/import/template.xlsx",
        import_views.member_import_template_view,
        name="member_import_template",
    ),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/move/", views.member_move, name="member_move"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<int:pk>/rejoin/", views.member_rejoin, name="member_rejoin"),
]
