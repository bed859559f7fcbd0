from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("dues/", views.ledger, name="ledger"),
    path("dues/arrears/", views.arrears, name="arrears"),
    path("dues/rate/", views.rate, name="rate"),
    path("dues/export.xlsx", views.export, name="export"),
    path("dues/collect/", views.collect, name="collect"),
    path("dues/compute/", views.compute, name="compute"),
    path("dues/payroll/", views.payroll_import, name="payroll_import"),
    path("dues/payroll/confirm/", views.payroll_import_confirm, name="payroll_import_confirm"),
    path("dues/payroll/template.xlsx", views.payroll_template, name="payroll_template"),
    path("dues/payments/", views.payment_import, name="payment_import"),
    path("dues/payments/confirm/", views.payment_import_confirm, name="payment_import_confirm"),
    path("dues/members/<int:pk>/", views.member, name="member"),
    path("dues/members/<int:pk>/fixed/", views.fixed_add, name="fixed_add"),
    path("dues/fixed/<int:pk>/end/", views.fixed_end, name="fixed_end"),
    path("dues/charges/<int:pk>/undo/", views.charge_undo, name="charge_undo"),
]
