from django.contrib import admin

from unionhome.admin import LabelledListEditable

from .models import CampaignKind


@admin.register(CampaignKind)
class CampaignKindAdmin(LabelledListEditable, admin.ModelAdmin):
    """HQ keeps the kinds of 送温暖 campaign here (元旦春节送温暖, 夏季送清凉, 金秋助学)."""

    list_display = (
        "name",
        "code",
        "classes_only",
        "review_within_months",
        "sort_order",
        "is_active",
    )
    list_editable = ("classes_only", "review_within_months", "sort_order", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False
