from django.contrib import admin

from unionhome.admin import LabelledListEditable

from .models import BankLayout, BankLayoutColumn, Fund, FundBudget


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


@admin.register(FundBudget)
class FundBudgetAdmin(admin.ModelAdmin):
    """The budgets, to look up: they are set on the funds page (经费与发放 → 预算), where
    the fund's row is locked against payments being added at the same moment and the
    budget cannot be moved to another year or deleted under its payments."""

    list_display = ("year", "fund", "amount", "note")
    list_filter = ("year", "fund")
    list_select_related = ("fund",)
    fields = ("fund", "year", "amount", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
