from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import SingleRecordAdmin

from .models import CongressSettings, Delegation, Term


@admin.register(CongressSettings)
class CongressSettingsAdmin(SingleRecordAdmin, SimpleHistoryAdmin):
    """The quorum, the sessions a year each level should hold and how early a workshop
    union declares its congress."""

    list_display = [
        "__str__",
        "quorum_percent",
        "enterprise_sessions_per_year",
        "workshop_sessions_per_year",
        "group_meetings_per_year",
        "declare_days_ahead",
        "updated_at",
    ]


class DelegationInline(admin.TabularInline):
    model = Delegation
    fk_name = "term"
    extra = 1
    fields = ["name", "workshop", "sort_order"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """The terms of representatives (届) and their delegations (代表团组); the
    representatives themselves are added on the term's page."""

    list_display = ["name", "level", "workshop", "starts_on", "ends_on"]
    list_filter = ["level", "workshop"]
    inlines = [DelegationInline]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "term", "workshop", "sort_order"]
    list_filter = ["term"]
    list_select_related = ["term__workshop", "workshop"]
