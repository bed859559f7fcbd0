"""What HQ configures for 小家 creation: each year's window, points, notice days, what 模范
needs and the targets, with the recommendation quotas; and the 台账 checklist. The steps
themselves are taken on the application's pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import LabelledListEditable

from .models import ChecklistItem, CreationYear, RecommendationQuota


class QuotaInline(admin.TabularInline):
    model = RecommendationQuota
    extra = 1
    fields = ("level", "workshop", "share", "count")
    autocomplete_fields = ("workshop",)
    verbose_name_plural = _(
        "recommendation quotas (per title: a share of each workshop union's groups, or a number "
        "for one workshop union)"
    )


@admin.register(CreationYear)
class CreationYearAdmin(SimpleHistoryAdmin):
    list_display = (
        "year",
        "declarations_open",
        "declarations_close",
        "rubric",
        "notice_days",
    )
    inlines = [QuotaInline]
    fieldsets = (
        (None, {"fields": ("year", ("declarations_open", "declarations_close"), "rubric")}),
        (
            _("Steps"),
            {"fields": ("notice_days", "model_needs_advanced_years", "stale_after_days")},
        ),
        (
            _("Targets of the year"),
            {
                "fields": (
                    "coverage_target",
                    ("qualified_target", "advanced_target", "model_target"),
                )
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Declarations were made on the year's rubric: it stays theirs.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.declarations.exists():
            return (*fields, "rubric")
        return fields


@admin.register(ChecklistItem)
class ChecklistItemAdmin(LabelledListEditable, SimpleHistoryAdmin):
    list_display = ("name", "use", "must_pass", "sort_order", "is_active")
    list_editable = ("must_pass", "sort_order", "is_active")
    list_filter = ("use", "must_pass", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False
