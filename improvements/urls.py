from django.urls import path

from . import views

app_name = "improvements"

urlpatterns = [
    path("improvements/", views.improvement_list, name="list"),
    path("improvements/new/", views.improvement_new, name="new"),
    path("improvements/public/", views.public_list, name="public"),
    path("improvements/register.xlsx", views.export, name="export"),
    path("improvements/<int:pk>/", views.improvement_detail, name="detail"),
    path("improvements/<int:pk>/adopt/", views.improvement_adopt, name="adopt"),
    path("improvements/<int:pk>/reject/", views.improvement_reject, name="reject"),
    path("improvements/<int:pk>/motion/", views.improvement_motion, name="motion"),
    path("improvements/<int:pk>/implement/", views.improvement_implement, name="implement"),
    path("improvements/<int:pk>/award/", views.improvement_award, name="award"),
    path("improvements/<int:pk>/public/", views.improvement_public, name="set_public"),
    path("improvements/<int:pk>/attach/", views.improvement_attach, name="attach"),
    path("improvements/files/<int:pk>/", views.attachment, name="attachment"),
]
