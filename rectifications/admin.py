from django.contrib import admin

from .models import Rectification, RectificationEvidence


class EvidenceInline(admin.TabularInline):
    model = RectificationEvidence
    fields = ["original_name", "mime", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    """A read-only register of every item for HQ: the pages raise, report and close them."""

    list_display = [
        "title",
        "kind",
        "workshop",
        "group",
        "owner_department",
        "due_on",
        "status",
        "raised_by",
        "closed_at",
    ]
    list_filter = ["status", "kind", "workshop"]
    search_fields = ["title", "owner_department", "description"]
    date_hierarchy = "due_on"
    list_select_related = ["workshop", "group", "raised_by"]
    inlines = [EvidenceInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
