from django.contrib import admin

from unionhome.admin import LabelledListEditable

from .models import (
    AwardLevel,
    Competition,
    CompetitionKind,
    LearningKind,
    LearningSettings,
)


@admin.register(LearningSettings)
class LearningSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "books_per_year", "lesson_hours", "updated_at"]

    def has_add_permission(self, request):
        return not LearningSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompetitionKind)
class CompetitionKindAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(AwardLevel)
class AwardLevelAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["name", "code", "points", "sort_order", "is_active"]
    list_editable = ["points", "sort_order", "is_active"]


@admin.register(LearningKind)
class LearningKindAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["name", "code", "mechanism", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["mechanism"]

    def get_readonly_fields(self, request, obj=None):
        # What a kind counts as is fixed once records of it exist: changing it would
        # recount the past (hours turned into books).
        if obj is not None and obj.pk and obj.records.exists():
            return ["mechanism"]
        return []


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    """A read-only register of every competition for HQ: the pages record them."""

    list_display = ["title", "kind", "level", "workshop", "group", "starts_on", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
