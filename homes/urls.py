from django.urls import path

from . import views

app_name = "homes"

urlpatterns = [
    path("homes/", views.overview, name="overview"),
    path("homes/groups/", views.home_groups, name="groups"),
    path("homes/groups/<int:pk>/", views.group, name="group"),
    path("homes/groups/<int:pk>/plan/<int:year>/", views.plan_edit, name="plan_edit"),
    path(
        "homes/groups/<int:pk>/declare/<int:year>/",
        views.declaration_open,
        name="declaration_open",
    ),
    path("homes/groups/<int:pk>/recheck/", views.recheck_open, name="recheck_open"),
    path("homes/plans/", views.plans, name="plans"),
    path("homes/plans/<int:pk>/", views.plan, name="plan"),
    path("homes/plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("homes/plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("homes/plans/<int:pk>/file/", views.plan_file, name="plan_file"),
    path("homes/declarations/", views.declarations, name="declarations"),
    path("homes/declarations/<int:pk>/", views.declaration, name="declaration"),
    path("homes/declarations/<int:pk>/edit/", views.declaration_edit, name="declaration_edit"),
    path(
        "homes/declarations/<int:pk>/files/",
        views.declaration_file_add,
        name="declaration_file_add",
    ),
    path(
        "homes/declarations/<int:pk>/recommend/",
        views.declaration_recommend,
        name="declaration_recommend",
    ),
    path(
        "homes/declarations/<int:pk>/return/", views.declaration_return, name="declaration_return"
    ),
    path(
        "homes/declarations/<int:pk>/assign/", views.declaration_assign, name="declaration_assign"
    ),
    path("homes/declarations/<int:pk>/inspect/", views.inspect, name="inspect"),
    path(
        "homes/declarations/<int:pk>/sign-off/",
        views.declaration_sign_off,
        name="declaration_sign_off",
    ),
    path("homes/declarations/<int:pk>/decide/", views.recheck_decide, name="recheck_decide"),
    path("homes/files/<int:pk>/", views.declaration_file, name="declaration_file"),
    path("homes/photos/<int:pk>/", views.inspection_photo, name="inspection_photo"),
    path("homes/rechecks/open/", views.recheck_open_all, name="recheck_open_all"),
    path("homes/panels/", views.panels, name="panels"),
    path("homes/panels/<int:pk>/", views.panel, name="panel"),
    path("homes/notices/", views.notices, name="notices"),
    path("homes/notices/new/", views.notice_new, name="notice_new"),
    path("homes/notices/<int:pk>/", views.notice, name="notice"),
    path("homes/notices/<int:pk>/print/", views.notice_print, name="notice_print"),
    path("homes/notices/<int:pk>/objections/", views.objection_file, name="objection_file"),
    path("homes/notices/<int:pk>/name/", views.naming, name="naming"),
    path("homes/objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("homes/namings/<int:pk>/", views.naming_print, name="naming_print"),
    path("homes/titles/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("homes/titles/<int:pk>/end/", views.title_end, name="title_end"),
]
