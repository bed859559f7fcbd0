from django.urls import path

from . import views

app_name = "binders"

urlpatterns = [
    path("binders/", views.index, name="index"),
    path("binders/groups/<int:group>/<int:year>.pdf", views.group_pdf, name="group_pdf"),
    path(
        "binders/groups/<int:group>/<int:year>/naming.docx", views.naming_docx, name="naming_docx"
    ),
    path(
        "binders/groups/<int:group>/<int:year>/certificate.docx",
        views.certificate_docx,
        name="certificate_docx",
    ),
    path("binders/workshops/<int:workshop>/<int:year>/", views.workshop_zip, name="workshop_zip"),
]
