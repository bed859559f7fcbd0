from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("assessment/", views.period_list, name="period_list"),
    path("assessment/<int:pk>/", views.period_detail, name="period_detail"),
    path("assessment/<int:pk>/action/", views.period_action, name="period_action"),
    path("assessment/<int:pk>/not-applicable/", views.waivers_add, name="waivers_add"),
    path(
        "assessment/not-applicable/<int:waiver_pk>/remove/",
        views.waiver_remove,
        name="waiver_remove",
    ),
    path("assessment/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("assessment/<int:pk>/ranking.xlsx", views.ranking_export, name="ranking_export"),
    path("assessment/<int:pk>/groups/<int:group_pk>/", views.scorecard, name="scorecard"),
    path("assessment/<int:pk>/groups/<int:group_pk>/sheet/", views.sheet, name="sheet"),
    path(
        "assessment/<int:pk>/workshops/<int:workshop_pk>/",
        views.workshop_card,
        name="workshop_card",
    ),
    path(
        "assessment/<int:pk>/workshops/<int:workshop_pk>/sheet/",
        views.workshop_sheet,
        name="workshop_sheet",
    ),
    path(
        "assessment/<int:pk>/workshops/<int:workshop_pk>/certificate/",
        views.workshop_certificate,
        name="workshop_certificate",
    ),
    path("assessment/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path(
        "assessment/<int:pk>/evaluate/<int:group_pk>/", views.evaluate_group, name="evaluate_group"
    ),
    path(
        "assessment/<int:pk>/evaluate/workshops/<int:workshop_pk>/",
        views.evaluate_workshop,
        name="evaluate_workshop",
    ),
    path("assessment/<int:pk>/vetoes/", views.vetoes, name="vetoes"),
    path("assessment/<int:pk>/adjustments/", views.adjustments, name="adjustments"),
    path(
        "assessment/adjustments/<int:pk>/evidence/",
        views.adjustment_evidence,
        name="adjustment_evidence",
    ),
    path("assessment/<int:pk>/ballots/", views.ballots, name="ballots"),
    path(
        "assessment/groups/<int:group_pk>/latest/", views.latest_scorecard, name="latest_scorecard"
    ),
    path("assessment/measures/preview/", views.measure_preview, name="measure_preview"),
    path("b/", views.ballot_entry, name="ballot_entry"),
    path("b/<str:code>/", views.ballot, name="ballot"),
]
