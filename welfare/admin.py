from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import LabelledListEditable, ReadOnlyAdmin

from .models import AccessLog, CaseType, RequiredDocument


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1


@admin.register(CaseType)
class CaseTypeAdmin(LabelledListEditable, SimpleHistoryAdmin):
    """HQ keeps the assistance types, their limits and their required papers here."""

    list_display = ("name", "code", "limit", "sort_order", "is_active")
    list_editable = ("limit", "sort_order", "is_active")
    inlines = [RequiredDocumentInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Read-only for everybody, the system administrator included."""

    list_display = ("at", "user", "action", "target", "member", "ip_address")
    list_filter = ("action",)
    search_fields = ("target", "member__name", "user__username")
    list_select_related = ("user", "member")
