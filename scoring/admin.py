from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .forms import IndicatorAdminForm
from .models import AssessmentPeriod, Criterion, Indicator


class IndicatorInline(admin.StackedInline):
    model = Indicator
    form = IndicatorAdminForm
    extra = 0
    fields = (
        ("name", "code", "kind", "is_active"),
        ("metric", "share", "sort_order"),
        "definition",
        ("rule", "target", "limit"),
        "steps",
        "when_missing",
    )


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    """HQ edits, reweights, adds and retires criteria here. Published results keep the
    criteria they were computed with."""

    list_display = ("name", "weight", "sort_order", "is_active")
    list_editable = ("weight", "sort_order", "is_active")
    inlines = [IndicatorInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ("name", "criterion", "kind", "metric", "share", "rule", "is_active")
    list_filter = ("criterion", "kind", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(SimpleHistoryAdmin):
    """Periods are created and configured here; their steps (compute, publish) are taken
    on the assessment pages."""

    list_display = ("name", "start", "end", "status", "qualified_at", "advanced_at", "model_at")
    filter_horizontal = ("evaluators",)
    readonly_fields = ("status",)

    def has_delete_permission(self, request, obj=None):
        return False
