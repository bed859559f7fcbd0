from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import NumberingRule


@admin.register(NumberingRule)
class NumberingRuleAdmin(SimpleHistoryAdmin):
    """How card and letter numbers are written, in plain words (HQ keeps one rule)."""

    list_display = ("__str__", "letter_example", "updated_at")
    fieldsets = (
        (
            _("Membership card numbers"),
            {"fields": ("prefix", "with_year", "with_workshop_code", "digits", "separator")},
        ),
        (_("Transfer letters"), {"fields": ("letter_prefix",)}),
    )

    @admin.display(description=_("letter numbers like"))
    def letter_example(self, obj):
        return obj.letter_number(year=2026, sequence=7)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
