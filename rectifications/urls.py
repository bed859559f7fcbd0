from django.urls import path

from . import views

app_name = "rectifications"

urlpatterns = [
    path("rectifications/", views.item_list, name="list"),
    path("rectifications/new/", views.item_raise, name="raise"),
    path(
        "rectifications/from-inspection/<int:pk>/",
        views.item_raise_from_inspection,
        name="raise_inspection",
    ),
    path("rectifications/<int:pk>/", views.item_detail, name="detail"),
    path("rectifications/<int:pk>/report/", views.item_report, name="report"),
    path("rectifications/<int:pk>/close/", views.item_close, name="close"),
    path("rectifications/<int:pk>/return/", views.item_return, name="return"),
    path("rectifications/evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
