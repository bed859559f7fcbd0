from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("activate/", views.activate, name="activate"),
    path("me/", views.home, name="home"),
    path("me/suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("members/<int:pk>/login/", views.member_login, name="member_login"),
    path(
        "members/<int:pk>/login/disable/",
        views.member_login_disable,
        name="member_login_disable",
    ),
    path("org/groups/<int:pk>/login-slips/", views.group_slips, name="group_slips"),
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
]
