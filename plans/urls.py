from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.overview, name="overview"),
    path("plans/groups/<int:group>/<int:year>/", views.year_page, name="year"),
    path("plans/groups/<int:group>/<int:year>/items/new/", views.item_new, name="item_new"),
    path("plans/groups/<int:group>/<int:year>/<int:month>/", views.month_page, name="month"),
    path(
        "plans/groups/<int:group>/<int:year>/<int:month>/arrangements/",
        views.month_plan,
        name="month_plan",
    ),
    path("plans/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("plans/items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("plans/items/<int:pk>/hold/", views.item_hold, name="item_hold"),
    path("plans/items/<int:pk>/tie/", views.item_tie, name="item_tie"),
    path("plans/items/<int:pk>/not-held/", views.item_not_held, name="item_not_held"),
]
