from django.contrib import admin

from unionhome.admin import LabelledListEditable, ReadOnlyAdmin, SingleRecordAdmin

from .models import AwardLevel, EffectKind, Improvement, ImprovementSettings


@admin.register(ImprovementSettings)
class ImprovementSettingsAdmin(SingleRecordAdmin):
    """One record: the prefix of the suggestions' numbers (HL2026-0001)."""

    list_display = ["__str__", "number_prefix", "updated_at"]
    fields = ["number_prefix"]


@admin.register(EffectKind)
class EffectKindAdmin(LabelledListEditable, admin.ModelAdmin):
    """HQ keeps the kinds of effect a suggestion can have (降本增效, 安全生产 …)."""

    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AwardLevel)
class AwardLevelAdmin(LabelledListEditable, admin.ModelAdmin):
    """HQ keeps the award levels and their standard amounts (一等奖 2000元 …)."""

    list_display = ("name", "code", "amount", "sort_order", "is_active")
    list_editable = ("amount", "sort_order", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Improvement)
class ImprovementAdmin(ReadOnlyAdmin):
    """The register, read-only: suggestions are filed and screened on the site's pages."""

    list_display = (
        "number",
        "title",
        "member",
        "workshop",
        "filed_on",
        "status",
        "award_level",
        "award_amount",
    )
    list_filter = ("status", "workshop", "award_level")
    search_fields = ("number", "title", "member__name")
    list_select_related = ("member", "workshop", "award_level")
    date_hierarchy = "filed_on"
