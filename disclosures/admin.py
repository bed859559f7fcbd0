from django.contrib import admin

from unionhome.admin import LabelledListEditable, ReadOnlyAdmin, SingleRecordAdmin

from .models import DisclosureCategory, DisclosureSettings, IdentityLook


@admin.register(DisclosureCategory)
class DisclosureCategoryAdmin(LabelledListEditable, admin.ModelAdmin):
    """The categories HQ offers for disclosures: renamed, reordered or retired (never
    deleted: the disclosures keep theirs)."""

    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    fields = ["name", "code", "sort_order", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisclosureSettings)
class DisclosureSettingsAdmin(SingleRecordAdmin):
    list_display = [
        "__str__",
        "answer_within_days",
        "default_posting_days",
        "min_posting_days",
        "rectify_within_days",
    ]
    fields = [
        "answer_within_days",
        "default_posting_days",
        "min_posting_days",
        "rectify_within_days",
    ]


@admin.register(IdentityLook)
class IdentityLookAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "feedback", "ip_address"]
    list_select_related = ["user", "feedback"]
    date_hierarchy = "at"
