from django.contrib import admin

from unionhome.admin import ReadOnlyAdmin, SingleRecordAdmin

from .models import ActivationCode, PortalSettings, Suggestion


@admin.register(PortalSettings)
class PortalSettingsAdmin(SingleRecordAdmin):
    """One record: how long an activation code lasts and when activation locks."""

    list_display = [
        "__str__",
        "code_valid_days",
        "failure_limit",
        "address_failure_limit",
        "lock_minutes",
        "updated_at",
    ]
    fields = ["code_valid_days", "failure_limit", "address_failure_limit", "lock_minutes"]


@admin.register(ActivationCode)
class ActivationCodeAdmin(ReadOnlyAdmin):
    """Who issued which member's code, and when it was used, voided or lapsed (the codes
    themselves are not kept)."""

    list_display = ["member", "issued_by", "issued_at", "expires_at", "used_at", "voided_at"]
    list_select_related = ["member", "issued_by"]
    search_fields = ["member__employee_no", "member__name"]
    exclude = ["code_hash"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["member", "group", "kind", "status", "filed_at", "answered_at"]
    list_select_related = ["member", "group"]
    list_filter = ["status", "kind"]
