from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from unionhome import metrics
from unionhome.forms import DateInput

from .models import Indicator, IndicatorKind, Rule, SurveyAnswer


class IndicatorAdminForm(forms.ModelForm):
    """The admin site's indicator form: the figure is chosen from those the apps offer,
    and each rule is checked for the numbers it needs."""

    metric = forms.ChoiceField(label=_("figure from the records"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "criterion",
            "code",
            "name",
            "kind",
            "metric",
            "definition",
            "share",
            "rule",
            "target",
            "limit",
            "steps",
            "when_missing",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—")] + [
            (m.name, f"{m.label} ({m.name})") for m in metrics.all_metrics()
        ]

    def clean(self):
        data = super().clean()
        kind, rule = data.get("kind"), data.get("rule")
        if kind == IndicatorKind.COMPUTED:
            if not data.get("metric"):
                self.add_error("metric", _("A computed indicator needs a figure."))
            if rule in (Rule.LINEAR, Rule.LINEAR_DOWN) and not data.get("target"):
                self.add_error("target", _("This rule needs a target."))
            if rule == Rule.LINEAR_DOWN:
                limit, target = data.get("limit"), data.get("target")
                if limit is None or (target is not None and limit <= target):
                    self.add_error("limit", _("The limit must be above the target."))
            if rule == Rule.STEPS:
                steps = data.get("steps")
                try:
                    ok = bool(steps) and all(
                        len(step) == 2
                        and 0 <= Decimal(str(step[1])) <= 1
                        and Decimal(str(step[0])) >= 0
                        for step in steps
                    )
                except (TypeError, ValueError, ArithmeticError):
                    ok = False
                if not ok:
                    self.add_error("steps", _("Give steps as [[value, share 0–1], …]."))
        elif kind == IndicatorKind.MANUAL:
            data["metric"] = ""
        return data


class ManualScoresForm(forms.Form):
    """An evaluator's points for each manual indicator of one group."""

    def __init__(self, *args, indicators, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            current = existing.get(indicator["id"])
            maximum = Decimal(indicator["max_points"])
            self.fields[f"points_{indicator['id']}"] = forms.DecimalField(
                label=f"{indicator['criterion']} · {indicator['name']}",
                min_value=Decimal("0"),
                max_value=maximum,
                max_digits=6,
                decimal_places=2,
                required=False,
                help_text=_("Out of %(max)s points.") % {"max": maximum},
                initial=(current.fraction * maximum).quantize(Decimal("0.01")) if current else None,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
            self.fields[f"comment_{indicator['id']}"] = forms.CharField(
                label=_("comment"),
                required=False,
                max_length=300,
                initial=current.comment if current else "",
            )

    def entries(self):
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"points_{indicator['id']}")
            if value is not None:
                yield indicator, value, self.cleaned_data.get(f"comment_{indicator['id']}", "")


class BallotIssueForm(forms.Form):
    count = forms.IntegerField(
        label=_("ballots"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Empty: one per member in the union."),
    )
    void_unused = forms.BooleanField(
        label=_("withdraw the unused ballots issued before"), required=False
    )


class VetoForm(forms.Form):
    group = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("what happened"), max_length=200)
    happened_on = forms.DateField(label=_("date"), widget=DateInput())


class BallotForm(forms.Form):
    """The 民主测评 ballot: 满意 / 基本满意 / 不满意 on each criterion, and a comment."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[criterion.code] = forms.ChoiceField(
                label=criterion.name,
                choices=SurveyAnswer.CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        self.fields["comment"] = forms.CharField(
            label=_("your suggestion (optional)"),
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def answers(self):
        return {c.code: self.cleaned_data[c.code] for c in self.criteria}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("ballot code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class WaiverForm(forms.Form):
    """不适用: the missing scores HQ chooses, and why they do not apply."""

    keys = forms.MultipleChoiceField(
        label=_("missing scores"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(
        label=_("why they do not apply"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the group's scorecard beside the line."),
    )

    def __init__(self, *args, gaps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [
            (
                gap.key,
                f"{gap.group.workshop.name} · {gap.group.name} · "
                f"{gap.indicator['name'] if gap.indicator else pgettext('missing item', 'survey')}",
            )
            for gap in gaps
        ]
