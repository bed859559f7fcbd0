from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import LabelledListEditable

from .models import Activity, ActivityKind, ContentArea, MonthlyReport, ReportEvent


@admin.register(ContentArea)
class ContentAreaAdmin(LabelledListEditable, SimpleHistoryAdmin):
    """HQ edits, reorders, adds and retires content areas here; a retired area keeps its
    records, so areas are never deleted."""

    list_display = ("name", "code", "sort_order", "is_active", "activity_count")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_count=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj):
        return obj.activity_count

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityKind)
class ActivityKindAdmin(LabelledListEditable, SimpleHistoryAdmin):
    list_display = ("name", "code", "sort_order", "is_active", "counts_as_democratic")
    list_editable = ("sort_order", "is_active", "counts_as_democratic")
    search_fields = ("name", "code")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    """Activities are kept in the application pages; the admin site shows them for support."""

    list_display = ("title", "group", "area", "held_on", "recorded_by", "deleted_at")
    list_filter = ("area", "group__workshop", "deleted_at")
    search_fields = ("title", "group__name")
    list_select_related = ("group", "area", "recorded_by")
    date_hierarchy = "held_on"
    raw_id_fields = ("group", "recorded_by", "deleted_by")
    exclude = ("participants",)

    def has_delete_permission(self, request, obj=None):
        return False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "by", "at", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin):
    list_display = ("group", "month", "status", "submitted_at", "reviewed_by")
    list_filter = ("status", "month", "group__workshop")
    search_fields = ("group__name",)
    list_select_related = ("group", "reviewed_by")
    readonly_fields = ("figures", "version")
    raw_id_fields = ("group", "submitted_by", "reviewed_by")
    inlines = [ReportEventInline]

    def has_delete_permission(self, request, obj=None):
        return False
