from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from unionhome.admin import SingleRecordAdmin

from .models import Job, JobSettings


@admin.register(JobSettings)
class JobSettingsAdmin(SingleRecordAdmin):
    """How long finished files are kept; the sizes above which imports and exports run in
    the background."""

    list_display = ["__str__", "keep_days", "member_import_rows", "export_rows", "updated_at"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """The jobs, to see what the worker does: read only; a job stuck "running" or
    "waiting" may be marked failed (its user then gets the retry button)."""

    list_display = ["user", "title", "status", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = ["mark_failed"]
    # The parameters, details and files are the user's (identity numbers): not shown.
    fields = [
        "user",
        "kind",
        "title",
        "status",
        "done",
        "total",
        "message",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
        "attempts",
        "language",
        "task_id",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark failed (the user may run it again)"), permissions=["view"])
    def mark_failed(self, request, queryset):
        from .services import jobs_mark_failed

        count = jobs_mark_failed(queryset)
        self.message_user(
            request,
            ngettext("%(count)d job marked failed.", "%(count)d jobs marked failed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
