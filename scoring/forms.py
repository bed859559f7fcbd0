from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhome import metrics
from unionhome.forms import DateInput

from .engine import figure_fits
from .models import (
    Gate,
    Indicator,
    IndicatorKind,
    Measure,
    MeasureKind,
    Rule,
)

STEP_ROWS = 6


class StepsWidget(forms.MultiWidget):
    """Steps as rows of two numbers: at least this value → this share (%) of the points."""

    template_name = "scoring/widgets/steps.html"

    def __init__(self, rows=STEP_ROWS):
        number = {"step": "any", "inputmode": "decimal"}
        widgets = []
        for _row in range(rows):
            widgets += [
                forms.NumberInput(attrs={**number, "min": "0"}),
                forms.NumberInput(attrs={**number, "min": "0", "max": "100"}),
            ]
        super().__init__(widgets)

    def decompress(self, value):
        flat = []
        for at_least, share in value or []:
            flat += [at_least, _plain(Decimal(str(share)) * 100)]
        return flat + [None] * (len(self.widgets) - len(flat))

    def get_context(self, name, value, attrs):
        # The stored steps are pairs; a form sent back with errors holds the flat values.
        if value and isinstance(value[0], list | tuple):
            value = self.decompress(value)
        context = super().get_context(name, value, attrs)
        widgets = context["widget"]["subwidgets"]
        for index, widget in enumerate(widgets):
            label = _("step %(n)s: at least") if index % 2 == 0 else _("step %(n)s: share (%%)")
            widget["attrs"]["aria-label"] = label % {"n": index // 2 + 1}
        context["widget"]["rows"] = [widgets[i : i + 2] for i in range(0, len(widgets), 2)]
        return context


def _plain(number: Decimal):
    """A number for JSON: an int when whole, else a float (never a Decimal)."""
    number = Decimal(str(number)).normalize()
    return int(number) if number == number.to_integral_value() else float(number)


class StepsField(forms.MultiValueField):
    def __init__(self, rows=STEP_ROWS, **kwargs):
        fields = []
        for _row in range(rows):
            fields += [
                forms.DecimalField(required=False, min_value=0),
                forms.DecimalField(required=False, min_value=0, max_value=100),
            ]
        kwargs.setdefault("widget", StepsWidget(rows))
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        steps = []
        for index in range(0, len(data_list or []), 2):
            at_least, share = data_list[index], data_list[index + 1]
            if at_least is None and share is None:
                continue
            if at_least is None or share is None:
                raise forms.ValidationError(
                    _("Row %(n)s: give both the value and its share of the points.")
                    % {"n": index // 2 + 1}
                )
            steps.append([_plain(at_least), _plain(share / 100)])
        values = [step[0] for step in steps]
        if len(set(values)) != len(values):
            raise forms.ValidationError(_("Each row needs a different value."))
        return sorted(steps, key=lambda step: step[0], reverse=True)


def figure_choices(current: str = "") -> list[tuple[str, str]]:
    """The figures the apps offer a group's rubric (and the one already chosen)."""
    return [("", "—")] + [
        (m.name, f"{m.label} ({m.name})")
        for m in metrics.all_metrics()
        if m.group_controlled or m.name == current
    ]


class MeasureAdminForm(forms.ModelForm):
    """A measure composed from the records the apps offer, each choice in words."""

    source = forms.ChoiceField(label=_("records"))
    option = forms.ChoiceField(label=_("only these records"), required=False)
    span = forms.ChoiceField(label=_("between the dates"), required=False)

    class Meta:
        model = Measure
        fields = ["name", "code", "kind", "source", "option", "per", "span", "definition"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sources = metrics.all_sources()
        self.fields["source"].choices = [(s.name, s.label) for s in sources]
        self.fields["option"].choices = [("", _("all of them"))] + [
            (str(s.label), s.options()) for s in sources if s.options()
        ]
        self.fields["span"].choices = [("", "—")] + [
            (str(s.label), list(s.spans)) for s in sources if s.spans
        ]
        self.fields["kind"].widget.attrs["data-measure"] = "kind"

    def clean(self):
        data = super().clean()
        source = metrics.source(data.get("source") or "")
        if source is None:
            return data
        kind = data.get("kind")
        if data.get("option") and data["option"] not in dict(source.options()):
            self.add_error("option", _("Choose one of the records chosen above, or all."))
        if kind == MeasureKind.SHARE and source.participants is None:
            self.add_error("kind", _("Nobody takes part in these records; count them instead."))
        if kind == MeasureKind.DAYS:
            if data.get("span") not in dict(source.spans):
                self.add_error("span", _("Choose two dates of the records chosen above."))
        else:
            data["span"] = ""
        return data


class GateAdminForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("figure from the records"))

    class Meta:
        model = Gate
        fields = ["name", "level", "metric", "at_least", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = figure_choices(self.instance.metric)

    def clean(self):
        data = super().clean()
        version = data.get("version") or getattr(self.instance, "version", None)
        if version is not None:
            problem = figure_fits(metrics.get(data.get("metric") or ""), version.subject)
            if problem:
                self.add_error("metric", problem)
        return data


class IndicatorAdminForm(forms.ModelForm):
    """The admin site's indicator form: the figure is chosen from those the apps offer,
    and each rule is checked for the numbers it needs."""

    metric = forms.ChoiceField(label=_("figure from the records"), required=False)
    steps = StepsField(
        label=_("steps"),
        help_text=_(
            "One row per step: the value reached and the share of the points it earns, "
            "e.g. 12 → 100, 6 → 60, 1 → 30. The highest step reached counts; below the "
            "lowest, none."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "criterion",
            "code",
            "name",
            "kind",
            "metric",
            "definition",
            "guidance",
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
        self.fields["metric"].choices = figure_choices(self.instance.metric)

    def clean(self):
        data = super().clean()
        kind, rule = data.get("kind"), data.get("rule")
        criterion = data.get("criterion") or getattr(self.instance, "criterion", None)
        if kind == IndicatorKind.COMPUTED:
            figure = metrics.get(data.get("metric") or "")
            problem = figure_fits(figure, criterion.version.subject) if criterion else None
            if problem:
                self.add_error("metric", problem)
            if not data.get("metric"):
                self.add_error("metric", _("A computed indicator needs a figure."))
            elif figure and not figure.group_controlled and data.get("is_active"):
                self.add_error(
                    "metric",
                    _(
                        "This figure measures the union's own work, which the group does "
                        "not control; it is shown on the dashboards instead."
                    ),
                )
            if rule in (Rule.LINEAR, Rule.LINEAR_DOWN) and not data.get("target"):
                self.add_error("target", _("This rule needs a target."))
            if rule == Rule.LINEAR_DOWN:
                limit, target = data.get("limit"), data.get("target")
                if limit is None or (target is not None and limit <= target):
                    self.add_error("limit", _("The limit must be above the target."))
            if rule == Rule.STEPS and not data.get("steps") and "steps" not in self.errors:
                self.add_error("steps", _("Give at least one step."))
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
                # The maximum stands beside the box (scoring/evaluate_group.html).
                initial=(current.fraction * maximum).quantize(Decimal("0.01")) if current else None,
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.5",
                        "inputmode": "decimal",
                        "aria-describedby": f"max-{indicator['id']}",
                    }
                ),
            )
            self.fields[f"comment_{indicator['id']}"] = forms.CharField(
                label=_("comment"),
                required=False,
                max_length=300,
                initial=current.comment if current else "",
            )

    def lines(self):
        """(indicator, its points field, its comment field) in the rubric's order."""
        for indicator in self.indicators:
            yield indicator, self[f"points_{indicator['id']}"], self[f"comment_{indicator['id']}"]

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
    item = forms.ModelChoiceField(label=_("veto item"), queryset=None, required=False)
    reason = forms.CharField(label=_("what happened"), max_length=200)
    happened_on = forms.DateField(label=_("date"), widget=DateInput())

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].required = items.exists()


class BallotForm(forms.Form):
    """The 民主测评 ballot: 满意 / 基本满意 / 不满意 on each question of the period's
    rubric, and a comment."""

    def __init__(self, *args, questions, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                choices=[(choice.code, choice.label) for choice in choices],
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
        return {q.code: self.cleaned_data[q.code] for q in self.questions}


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, group):
        return f"{group.workshop.name} · {group.name}"


class AdjustmentForm(forms.Form):
    """A bonus or a deduction for one group: which item, how many points, what happened
    and the evidence."""

    group = GroupChoiceField(label=_("union group"), queryset=None)
    item = forms.ModelChoiceField(label=_("item"), queryset=None)
    points = forms.DecimalField(
        label=_("points"),
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text=_("Each item counts up to its cap; the page lists the caps."),
    )
    reason = forms.CharField(label=_("what happened"), max_length=300)
    evidence = forms.FileField(
        label=_("evidence"),
        required=False,
        help_text=_("A photo, a PDF or an Office document: the commendation, the report …"),
    )

    def __init__(self, *args, groups, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["item"].queryset = items


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
            (gap.key, f"{gap.group.workshop.name} · {gap.group.name} · {gap.what}") for gap in gaps
        ]
