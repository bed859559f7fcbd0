from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/new/", views.campaign_create, name="create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/standards/", views.standards, name="standards"),
    path("campaigns/<int:pk>/propose/", views.propose, name="propose"),
    path("campaigns/<int:pk>/approve/", views.approve, name="approve"),
    path("campaigns/<int:pk>/add/", views.entry_add, name="entry_add"),
    path("campaigns/<int:pk>/export.xlsx", views.export, name="export"),
    path("campaigns/parts/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("campaigns/entries/<int:pk>/", views.entry, name="entry"),
    path("campaigns/entries/<int:pk>/visit/", views.visit, name="visit"),
    path("campaigns/visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("donations/", views.drive_list, name="drive_list"),
    path("donations/new/", views.drive_create, name="drive_create"),
    path("donations/<int:pk>/", views.drive_detail, name="drive_detail"),
    path("donations/<int:pk>/account/", views.drive_account, name="drive_account"),
    path("donations/<int:pk>/donations/", views.donation_add, name="donation_add"),
    path("donations/<int:pk>/recipients/", views.grant_add, name="grant_add"),
    path("donations/<int:pk>/pay/", views.grants_pay, name="grants_pay"),
]
