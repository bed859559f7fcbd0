from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("disclosures/", views.disclosure_list, name="list"),
    path("disclosures/board/", views.board, name="board"),
    path("disclosures/new/", views.disclosure_new, name="new"),
    path("disclosures/export.xlsx", views.export, name="export"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="detail"),
    path("disclosures/<int:pk>/edit/", views.disclosure_edit, name="edit"),
    path("disclosures/<int:pk>/review/", views.disclosure_review, name="review"),
    path("disclosures/<int:pk>/post/", views.disclosure_post, name="post"),
    path("disclosures/<int:pk>/photo", views.disclosure_photo, name="photo"),
    path(
        "disclosures/<int:pk>/supervision/end/",
        views.disclosure_end_supervision,
        name="end_supervision",
    ),
    path("disclosures/<int:pk>/close/", views.disclosure_close, name="close"),
    path("disclosures/<int:pk>/print/", views.disclosure_print, name="print"),
    path("disclosures/<int:pk>/feedback/new/", views.feedback_new, name="feedback_new"),
    path("disclosures/<int:pk>/feedback/blank/", views.feedback_blank, name="feedback_blank"),
    path("disclosures/feedback/<int:pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("disclosures/feedback/<int:pk>/rectify/", views.feedback_rectify, name="feedback_rectify"),
    path(
        "disclosures/feedback/<int:pk>/identity/", views.feedback_identity, name="feedback_identity"
    ),
    path("disclosures/feedback/<int:pk>/print/", views.feedback_print, name="feedback_print"),
]
