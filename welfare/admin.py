from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import LabelledListEditable, ReadOnlyAdmin, SingleRecordAdmin

from .models import (
    AccessLog,
    CaseType,
    HardshipClass,
    PovertyLine,
    RequiredDocument,
    WelfareSettings,
)


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1


@admin.register(CaseType)
class CaseTypeAdmin(LabelledListEditable, SimpleHistoryAdmin):
    """HQ keeps the assistance types, their limits and their required papers here."""

    list_display = (
        "name",
        "code",
        "limit",
        "yearly_cap_amount",
        "needs_publicity",
        "sort_order",
        "is_active",
    )
    list_editable = ("limit", "sort_order", "is_active")
    inlines = [RequiredDocumentInline]
    filter_horizontal = ("required_classes",)
    fieldsets = [
        (None, {"fields": ("name", "code", "limit", "sort_order", "is_active")}),
        (
            _("Who may have it"),
            {"fields": ("required_classes", "review_within_months")},
        ),
        (
            _("Paid on the hospital bills"),
            {"fields": ("needs_medical_bills", "bill_share", "bill_threshold", "bill_cap")},
        ),
        (
            _("Per member and year"),
            {"fields": ("yearly_cap_amount", "yearly_cap_count", "repeat_window_days")},
        ),
        (_("Notice before payment"), {"fields": ("needs_publicity", "publicity_days")}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HardshipClass)
class HardshipClassAdmin(LabelledListEditable, SimpleHistoryAdmin):
    """HQ keeps the hardship archive's classes and their standards here."""

    list_display = ("name", "code", "income_multiple", "is_current", "sort_order")
    list_editable = ("income_multiple", "is_current", "sort_order")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PovertyLine)
class PovertyLineAdmin(SimpleHistoryAdmin):
    """The local minimum living line (低保) per year: the archive's income test uses it."""

    list_display = ("year", "monthly_amount")


@admin.register(WelfareSettings)
class WelfareSettingsAdmin(SingleRecordAdmin):
    """The rules across assistance types: the overall yearly limit per member."""

    list_display = ["__str__", "yearly_cap_amount", "updated_at"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Read-only for everybody, the system administrator included."""

    list_display = ("at", "user", "action", "target", "member", "ip_address")
    list_filter = ("action",)
    search_fields = ("target", "member__name", "user__username")
    list_select_related = ("user", "member")
