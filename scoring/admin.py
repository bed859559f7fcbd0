from django.contrib import admin, messages
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .engine import FULL_MARKS, active_weight_total
from .forms import IndicatorAdminForm
from .models import AssessmentPeriod, Criterion, Indicator


class IndicatorInline(admin.StackedInline):
    model = Indicator
    form = IndicatorAdminForm
    extra = 0
    fields = (
        ("name", "code", "kind", "is_active"),
        ("metric", "share", "sort_order"),
        "definition",
        ("rule", "target", "limit"),
        "steps",
        "when_missing",
    )


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    """HQ edits, reweights, adds and retires criteria here. Published results keep the
    criteria they were computed with."""

    list_display = ("name", "weight", "sort_order", "is_active")
    list_editable = ("weight", "sort_order", "is_active")
    inlines = [IndicatorInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            _say_the_total(request)
        return super().changelist_view(request, extra_context)

    def response_change(self, request, obj):
        _say_the_total(request)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        _say_the_total(request)
        return super().response_add(request, obj, post_url_continue)


def _say_the_total(request) -> None:
    """The active criteria's weights are the assessment's full marks: 100 is expected."""
    total = active_weight_total()
    shown = f"{total.normalize():f}"  # 100, not 100.00 (PostgreSQL) or 1E+2
    if total == FULL_MARKS:
        messages.info(
            request, _("The active criteria add up to %(total)s points.") % {"total": shown}
        )
    else:
        messages.warning(
            request,
            _(
                "The active criteria add up to %(total)s points, not %(full)s: a total score "
                "then no longer reads out of %(full)s. Change the weights until they do."
            )
            % {"total": shown, "full": FULL_MARKS},
        )


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ("name", "criterion", "kind", "metric", "share", "rule", "is_active")
    list_filter = ("criterion", "kind", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(SimpleHistoryAdmin):
    """Periods are created and configured here; their steps (compute, publish) are taken
    on the assessment pages."""

    list_display = ("name", "start", "end", "status", "qualified_at", "advanced_at", "model_at")
    filter_horizontal = ("evaluators",)
    readonly_fields = ("status",)

    def has_delete_permission(self, request, obj=None):
        return False
