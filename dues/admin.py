from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import ReadOnlyAdmin

from .models import BasePay, DuesCharge, DuesCollection, DuesRule, FixedDues


@admin.register(DuesRule)
class DuesRuleAdmin(SimpleHistoryAdmin):
    """HQ sets the rate here: a new rate is a new rule from its first month, so that the
    months before keep theirs. A rule that computed any month is read-only."""

    list_display = ("starts_on", "rate_percent", "rounding", "minimum", "in_use", "note")

    @admin.display(description=_("in use"), boolean=True)
    def in_use(self, obj):
        return obj.charges.exists()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.charges.exists():
            return ("starts_on", "rate_percent", "rounding", "minimum")
        return ()

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or not obj.charges.exists())


@admin.register(FixedDues)
class FixedDuesAdmin(SimpleHistoryAdmin):
    list_display = ("member", "amount", "starts_on", "ends_on", "reason", "recorded_by")
    list_select_related = ("member", "recorded_by")
    search_fields = ("member__name", "member__employee_no", "reason")
    autocomplete_fields = ("member",)
    readonly_fields = ("recorded_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BasePay)
class BasePayAdmin(ReadOnlyAdmin):
    """Imported from payroll on the dues pages; shown here for support."""

    list_display = ("member", "month", "amount", "source", "imported_by", "imported_at")
    list_filter = ("month",)
    list_select_related = ("member", "imported_by")
    search_fields = ("member__name", "member__employee_no")


@admin.register(DuesCharge)
class DuesChargeAdmin(ReadOnlyAdmin):
    """Computed and recorded on the dues pages; shown here for support."""

    list_display = ("member", "month", "group", "basis", "due", "paid", "paid_on", "recorded_by")
    list_filter = ("month", "basis", "group__workshop")
    list_select_related = ("member", "group", "recorded_by")
    search_fields = ("member__name", "member__employee_no")


@admin.register(DuesCollection)
class DuesCollectionAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "month", "paid_on", "method", "charges", "amount", "recorded_by")
    list_filter = ("month", "method", "workshop")
    list_select_related = ("workshop", "recorded_by")
