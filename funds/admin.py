from django import forms
from django.contrib import admin

from unionhome.admin import LabelledListEditable

from .models import BankLayout, BankLayoutColumn, Fund, FundBudget
from .services import check_budget


@admin.register(Fund)
class FundAdmin(LabelledListEditable, admin.ModelAdmin):
    """HQ keeps the fund sources here; a fund no longer used is set out of use, never
    deleted (its past batches keep it)."""

    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False


class BankLayoutColumnInline(admin.TabularInline):
    model = BankLayoutColumn
    extra = 1


@admin.register(BankLayout)
class BankLayoutAdmin(admin.ModelAdmin):
    """The bank's batch-transfer workbook: its columns, their order and headings."""

    list_display = ("name", "sheet_title", "is_default")
    inlines = [BankLayoutColumnInline]


class FundBudgetForm(forms.ModelForm):
    class Meta:
        model = FundBudget
        fields = ("fund", "year", "amount", "note")

    def clean(self):
        data = super().clean()
        if data.get("fund") and data.get("year") and data.get("amount") is not None:
            check_budget(fund=data["fund"], year=data["year"], amount=data["amount"])
        return data


@admin.register(FundBudget)
class FundBudgetAdmin(admin.ModelAdmin):
    form = FundBudgetForm
    list_display = ("year", "fund", "amount", "note")
    list_filter = ("year", "fund")
    list_select_related = ("fund",)
    fields = ("fund", "year", "amount", "note")
