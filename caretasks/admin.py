from django.contrib import admin

from unionhome.admin import LabelledListEditable

from .models import CareOccasion, Festival


@admin.register(CareOccasion)
class CareOccasionAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "lead_days",
        "due_days",
        "gift_standard",
        "gift_description",
        "interval_days",
        "is_active",
    ]
    list_editable = ["is_active"]
    readonly_fields = ["code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "visit_kind", "is_active", "sort_order"]}),
        (None, {"fields": ["lead_days", "due_days", "interval_days"]}),
        (
            None,
            {
                "fields": [
                    "gift_standard",
                    "gift_description",
                    "hq_for_model_workers",
                    "hq_gift_standard",
                    "hq_gift_description",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "visit_days_before"]
    list_filter = ["name"]
    date_hierarchy = "date"
