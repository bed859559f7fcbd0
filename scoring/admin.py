"""HQ's rubric in the admin site: one version per year with its criteria (and their
indicators and bonus and deduction items), must-pass gates, survey questions and level
thresholds. A draft is edited; a frozen version is shown read-only and copied into the next
year to change it. Periods are configured here; their steps are taken on the pages."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .engine import FULL_MARKS, active_weight_total
from .forms import GateAdminForm, IndicatorAdminForm, MeasureAdminForm
from .models import (
    AdjustmentItem,
    AssessmentPeriod,
    Criterion,
    Gate,
    Indicator,
    Measure,
    RubricVersion,
    SurveyChoice,
    SurveyQuestion,
    VetoItem,
)


def _number(value) -> str:
    return f"{value.normalize():f}"  # 100, not 100.00 (PostgreSQL) or 1E+2


def _say_the_total(request, rubric: RubricVersion) -> None:
    """The active criteria's weights are the assessment's full marks: 100 is needed to
    freeze the version."""
    total = active_weight_total(rubric)
    if total == FULL_MARKS:
        messages.info(
            request,
            _("The active criteria of %(rubric)s add up to %(total)s points.")
            % {"rubric": rubric, "total": _number(total)},
        )
    else:
        messages.warning(
            request,
            _(
                "The active criteria of %(rubric)s add up to %(total)s points, not %(full)s: "
                "the version cannot be frozen until they do."
            )
            % {"rubric": rubric, "total": _number(total), "full": FULL_MARKS},
        )


class FrozenReadOnly:
    """A frozen version and its parts are shown, never changed."""

    def _frozen(self, obj) -> bool:
        rubric = obj.rubric() if hasattr(obj, "rubric") else obj
        return rubric is not None and rubric.is_frozen

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class FrozenInline(FrozenReadOnly):
    """No rows are added to a frozen version's parts (`obj` is the parent)."""

    def has_add_permission(self, request, obj=None):
        if obj is not None and self._frozen(obj):
            return False
        return super().has_add_permission(request, obj)


class CriterionInline(FrozenInline, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("name", "code", "weight", "bonus_cap", "sort_order", "is_active", "lines")
    readonly_fields = ("lines",)

    @admin.display(description=gettext_lazy("indicators and items"))
    def lines(self, criterion):
        if criterion.pk is None:
            return "—"
        url = reverse("admin:scoring_criterion_change", args=[criterion.pk])
        return format_html('<a class="nowrap" href="{}">{}</a>', url, _("Edit"))


class GateInline(FrozenInline, admin.TabularInline):
    model = Gate
    form = GateAdminForm
    extra = 0
    verbose_name_plural = gettext_lazy(
        "must-pass gates (a group below the figure is held to the level below)"
    )


class SurveyQuestionInline(FrozenInline, admin.TabularInline):
    model = SurveyQuestion
    extra = 0
    fields = ("text", "code", "sort_order")
    verbose_name_plural = gettext_lazy(
        "survey questions (answered 满意 / 基本满意 / 不满意 on the ballot)"
    )


class SurveyChoiceInline(FrozenInline, admin.TabularInline):
    model = SurveyChoice
    extra = 0
    fields = ("label", "code", "approves", "sort_order")
    verbose_name_plural = gettext_lazy(
        "answers on the ballot (the same for every question), and which count as approval"
    )


class VetoItemInline(FrozenInline, admin.TabularInline):
    model = VetoItem
    extra = 0
    fields = ("name", "sort_order")
    verbose_name_plural = gettext_lazy("veto items (一票否决: not qualified whatever the score)")


@admin.register(RubricVersion)
class RubricVersionAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    list_display = ("__str__", "subject", "status", "weights", "based_on", "frozen_at")
    list_filter = ("subject", "status")
    readonly_fields = ("status", "based_on", "frozen_at", "frozen_by")
    fieldsets = (
        (
            None,
            {"fields": ("year", "subject", "status", "based_on", ("frozen_at", "frozen_by"))},
        ),
        (
            gettext_lazy("Points a result needs for each level"),
            {"fields": (("qualified_at", "advanced_at", "model_at"),)},
        ),
        (gettext_lazy("Survey (民主测评)"), {"fields": ("survey_min_turnout",)}),
    )
    inlines = [
        CriterionInline,
        GateInline,
        VetoItemInline,
        SurveyQuestionInline,
        SurveyChoiceInline,
    ]
    actions = ["copy_to_next_year", "freeze"]

    def get_readonly_fields(self, request, obj=None):
        # What a version assesses is chosen when it is made; its copies keep it.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "subject") if obj is not None else fields

    @admin.display(description=gettext_lazy("weights add up to"))
    def weights(self, rubric):
        return _number(active_weight_total(rubric))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        rubric = self.get_object(request, object_id)
        if request.method == "GET" and rubric is not None and not rubric.is_frozen:
            _say_the_total(request, rubric)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=gettext_lazy("Copy into the next year, as a draft"))
    def copy_to_next_year(self, request, queryset):
        for rubric in queryset:
            try:
                copy = services.rubric_copy(rubric=rubric, year=rubric.year + 1, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(copy)s is a draft copied from %(rubric)s: edit it, then freeze it.")
                    % {"copy": copy, "rubric": rubric},
                    messages.SUCCESS,
                )

    @admin.action(description=gettext_lazy("Freeze (no more changes; periods use it)"))
    def freeze(self, request, queryset):
        for rubric in queryset:
            try:
                services.rubric_freeze(rubric=rubric, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(rubric)s was not frozen: %(why)s")
                    % {"rubric": rubric, "why": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("%(rubric)s is frozen.") % {"rubric": rubric}, messages.SUCCESS
                )


class IndicatorInline(FrozenInline, admin.StackedInline):
    model = Indicator
    form = IndicatorAdminForm
    extra = 0
    fields = (
        ("name", "code", "kind", "is_active"),
        ("metric", "share", "sort_order"),
        "definition",
        "guidance",
        ("rule", "target", "limit"),
        "steps",
        "when_missing",
    )


class AdjustmentItemInline(FrozenInline, admin.TabularInline):
    model = AdjustmentItem
    extra = 0
    fields = ("kind", "name", "points_each", "cap", "sort_order", "is_active")
    verbose_name_plural = gettext_lazy(
        "bonus and deduction items (each counts up to its cap; the bonus items together up "
        "to the criterion's bonus cap)"
    )


@admin.register(Criterion)
class CriterionAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    """A criterion of one rubric version, with its indicators and its bonus and deduction
    items."""

    list_display = ("name", "version", "weight", "bonus_cap", "sort_order", "is_active")
    list_filter = ("version",)
    fields = ("version", ("name", "code"), "description", ("weight", "bonus_cap"))
    fields += (("sort_order", "is_active"),)
    inlines = [IndicatorInline, AdjustmentItemInline]

    def response_change(self, request, obj):
        _say_the_total(request, obj.version)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        _say_the_total(request, obj.version)
        return super().response_add(request, obj, post_url_continue)


@admin.register(Indicator)
class IndicatorAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ("name", "criterion", "kind", "metric", "share", "rule", "is_active")
    list_filter = ("criterion__version", "kind", "is_active")


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    """HQ composes a figure from the records the apps offer; "预览" shows its values for a
    few groups before saving (scoring:measure_preview)."""

    form = MeasureAdminForm
    list_display = ("name", "code", "kind", "figure_name")
    change_form_template = "admin/scoring/measure/change_form.html"
    fields = ("name", "code", "kind", "source", "option", "per", "span", "definition")

    @admin.display(description=gettext_lazy("figure for indicators and gates"))
    def figure_name(self, measure):
        return measure.metric_name

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(SimpleHistoryAdmin):
    """Periods are created and configured here; their steps (compute, publish) are taken
    on the assessment pages."""

    list_display = ("name", "subject", "start", "end", "rubric", "status")
    list_filter = ("subject", "status")
    filter_horizontal = ("evaluators",)
    readonly_fields = ("status",)

    def get_readonly_fields(self, request, obj=None):
        # Scores, ballots and results name the rubric's lines: once there are any, what
        # the period assesses and on which rubric stay as they are.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and (
            obj.runs.exists() or obj.manual_scores.exists() or obj.ballots.exists()
        ):
            return (*fields, "subject", "rubric")
        return fields

    def has_delete_permission(self, request, obj=None):
        return False
