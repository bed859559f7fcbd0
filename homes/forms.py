from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from activities.models import ContentArea
from groups.models import LEVEL_ORDER, HomeLevel, Member, MemberStatus
from unionhome.forms import DateInput, MultipleFileField
from unionhome.validators import validate_not_in_future

from .models import (
    CreationPlan,
    InspectionPanel,
    Notice,
    RecheckOutcome,
    TitleEnd,
)

POINTS_WIDGET = {"step": "0.5", "inputmode": "decimal", "class": "points"}


def levels_up_to(level: str) -> list[tuple[str, str]]:
    """The titles from 合格 up to `level`."""
    top = LEVEL_ORDER.index(level) if level else len(LEVEL_ORDER) - 1
    return [(lv.value, lv.label) for lv in LEVEL_ORDER[: top + 1]]


def points_field(indicator: dict, initial) -> forms.DecimalField:
    """Points for one line of the rubric: 0 to the line's maximum, empty until given."""
    maximum = Decimal(indicator["max_points"])
    return forms.DecimalField(
        label=indicator["name"],
        required=False,
        min_value=Decimal(0),
        max_value=maximum,
        decimal_places=2,
        help_text=format_lazy(_("out of {max} points"), max=maximum),
        initial=initial,
        widget=forms.NumberInput(attrs=POINTS_WIDGET),
    )


class VersionForm(forms.Form):
    """A step on a record, read at its version (so that two people cannot both win)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(forms.ModelForm):
    """The 创建方案: target, rules (text or file), the 骨干 with their posts (one field per
    active member of the group: empty means not a core member), measures per area."""

    rules_upload = forms.FileField(
        label=_("rules as a file (optional)"),
        required=False,
        help_text=_("A Word, PDF or photo of the group's rules, if it has them on paper."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CreationPlan
        fields = ["target_level", "rules"]
        widgets = {"rules": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.members = list(
            Member.objects.filter(group=group, status=MemberStatus.ACTIVE).order_by("employee_no")
        )
        self.areas = list(ContentArea.objects.filter(is_active=True))
        core = {entry["member"]: entry["post"] for entry in self.instance.core}
        if not self.instance.pk:
            # A new plan starts from the group's posts.
            core = {post.member_id: post.get_post_display() for post in group.posts.all()}
        for member in self.members:
            self.fields[f"core_{member.pk}"] = forms.CharField(
                label=member.name,
                required=False,
                max_length=30,
                initial=core.get(member.pk, ""),
            )
        for area in self.areas:
            self.fields[f"measure_{area.code}"] = forms.CharField(
                label=area.name,
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=self.instance.measures.get(area.code, ""),
            )
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    @property
    def core_fields(self):
        return [self[f"core_{m.pk}"] for m in self.members]

    @property
    def measure_fields(self):
        return [self[f"measure_{a.code}"] for a in self.areas]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "target_level": data["target_level"],
            "rules": data["rules"],
            "core": [
                {"member": m.pk, "post": data[f"core_{m.pk}"]}
                for m in self.members
                if data.get(f"core_{m.pk}", "").strip()
            ],
            "measures": {a.code: data.get(f"measure_{a.code}", "") for a in self.areas},
            "rules_file": data.get("rules_upload"),
            "version": data.get("version"),
        }


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(VersionForm):
    note = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeclarationForm(VersionForm):
    """The self-assessment: per line the points, a comment and the evidence."""

    summary = forms.CharField(
        label=_("summary of the work (事迹材料)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("About 1,500 characters: what the group did, what changed."),
    )

    def __init__(self, *args, declaration, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        self.records = {key: (label, url) for key, label, url in records}
        choices = [(key, label) for key, label, _url in records]
        self.fields["version"].initial = declaration.version
        self.fields["summary"].initial = declaration.summary
        self.lines = []
        for criterion, indicator in declaration.indicators():
            code = indicator["code"]
            line = declaration.lines.get(code, {})
            self.fields[f"self_{code}"] = points_field(indicator, line.get("self"))
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("comment"), required=False, max_length=500, initial=line.get("comment", "")
            )
            self.fields[f"evidence_{code}"] = forms.MultipleChoiceField(
                label=_("evidence"),
                required=False,
                choices=choices,
                initial=[e["key"] for e in line.get("evidence", [])],
                widget=forms.SelectMultiple(attrs={"size": 4}),
            )
            self.lines.append(
                {
                    "criterion": criterion,
                    "indicator": indicator,
                    "computed": line.get("computed"),
                    "points": self[f"self_{code}"],
                    "comment": self[f"comment_{code}"],
                    "evidence": self[f"evidence_{code}"],
                }
            )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        lines = {}
        for _criterion, indicator in self.declaration.indicators():
            code = indicator["code"]
            lines[code] = {
                "self": data.get(f"self_{code}"),
                "comment": data.get(f"comment_{code}", ""),
                "evidence": [
                    {"key": key, "label": self.records[key][0], "url": self.records[key][1]}
                    for key in data.get(f"evidence_{code}", [])
                    if key in self.records
                ],
            }
        return {"lines": lines, "summary": data.get("summary", ""), "version": data["version"]}


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("a photo or document"))


class RecommendForm(VersionForm):
    level = forms.ChoiceField(label=_("recommend for"))
    opinion = forms.CharField(
        label=_("the workshop union's opinion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, declaration, **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        self.fields["version"].initial = declaration.version
        self.fields["level"].choices = levels_up_to(declaration.target_level)
        self.fields["level"].initial = declaration.target_level
        self.rows = []
        for _criterion, indicator in declaration.indicators():
            name = f"comment_{indicator['code']}"
            self.fields[name] = forms.CharField(
                label=indicator["name"], required=False, max_length=500
            )
            self.rows.append(
                {
                    "indicator": indicator,
                    "data": declaration.lines.get(indicator["code"], {}),
                    "field": self[name],
                }
            )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "level": data["level"],
            "opinion": data["opinion"],
            "comments": {
                indicator["code"]: data.get(f"comment_{indicator['code']}", "")
                for _criterion, indicator in self.declaration.indicators()
            },
        }


class AssignForm(VersionForm):
    panel = forms.ModelChoiceField(
        label=_("inspection panel"), queryset=InspectionPanel.objects.none()
    )

    def __init__(self, *args, declaration, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = declaration.version
        self.fields["panel"].queryset = panels


class InspectionForm(forms.Form):
    """A panel member's inspection: points per line, the checklist, remarks, photos."""

    inspected_on = forms.DateField(
        label=_("inspected on"),
        required=False,
        widget=DateInput(),
        validators=[validate_not_in_future],
    )
    remarks = forms.CharField(
        label=_("remarks"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = MultipleFileField(label=_("photos taken on site"), required=False)

    def __init__(self, *args, declaration, checklist, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        self.checklist = checklist
        scores = inspection.scores if inspection else {}
        checks = inspection.checks if inspection else {}
        self.fields["inspected_on"].initial = (
            inspection.inspected_on
            if inspection and inspection.inspected_on
            else timezone.localdate()
        )
        self.fields["remarks"].initial = inspection.remarks if inspection else ""
        self.fields["photos"].widget.attrs["accept"] = "image/*"
        self.lines = []
        for criterion, indicator in declaration.indicators():
            code = indicator["code"]
            self.fields[f"points_{code}"] = points_field(indicator, scores.get(code))
            line = declaration.lines.get(code, {})
            self.lines.append(
                {
                    "criterion": criterion,
                    "indicator": indicator,
                    "field": self[f"points_{code}"],
                    "self": line.get("self"),
                    "computed": line.get("computed"),
                }
            )
        self.items = []
        for item in checklist:
            answer = checks.get(str(item.pk), {})
            self.fields[f"check_{item.pk}"] = forms.TypedChoiceField(
                label=_("result of the check"),
                required=False,
                choices=[("yes", _("Passed")), ("no", _("Not passed"))],
                widget=forms.RadioSelect,
                initial={True: "yes", False: "no"}.get(answer.get("passed")),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("note"), required=False, max_length=200, initial=answer.get("note", "")
            )
            self.items.append((item, self[f"check_{item.pk}"], self[f"note_{item.pk}"]))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                indicator["code"]: data.get(f"points_{indicator['code']}")
                for _criterion, indicator in self.declaration.indicators()
            },
            "checks": {
                str(item.pk): {
                    "passed": {"yes": True, "no": False}.get(data.get(f"check_{item.pk}")),
                    "note": data.get(f"note_{item.pk}", ""),
                }
                for item in self.checklist
            },
            "remarks": data.get("remarks", ""),
            "inspected_on": data.get("inspected_on"),
            "photos": data.get("photos") or [],
        }


class SignOffForm(VersionForm):
    opinion = forms.CharField(
        label=_("the panel's opinion"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


def panel_people():
    return User.objects.filter(is_active=True).order_by("name", "username")


def person_label(user) -> str:
    return f"{user.name}（{user.username}）" if user.name else user.username


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PanelForm(forms.ModelForm):
    leader = PersonChoice(label=_("panel leader"), queryset=User.objects.none())
    members = PeopleChoice(
        label=_("members"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Any users: often the chairs of other workshop unions, HQ staff, evaluators."),
    )

    class Meta:
        model = InspectionPanel
        fields = ["name", "leader", "members", "rule"]
        widgets = {"rule": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = panel_people()
        self.fields["members"].queryset = panel_people()


class NoticeForm(forms.ModelForm):
    declarations = forms.ModelMultipleChoiceField(
        label=_("accepted small homes proposed"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Notice
        fields = ["title", "text", "starts_on", "declarations"]
        widgets = {"starts_on": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, year, accepted, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declarations"].queryset = accepted
        self.fields["declarations"].label_from_instance = lambda d: (
            f"{d.group.workshop.name} · {d.group.name} · {d.get_proposed_level_display()}"
            f"（{d.panel_total}）"
        )
        self.initial.setdefault("starts_on", timezone.localdate())
        self.initial.setdefault(
            "title",
            format_lazy(_("Public notice of the {year} small home titles"), year=year.year),
        )


class ObjectionForm(forms.Form):
    declaration = forms.ModelChoiceField(label=_("the small home"), queryset=None)
    text = forms.CharField(
        label=_("your objection"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only HQ sees who filed it."),
    )

    def __init__(self, *args, declarations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration"].queryset = declarations
        self.fields["declaration"].label_from_instance = lambda d: (
            f"{d.group.workshop.name} · {d.group.name}"
        )
        if len(declarations) == 1:  # the notice of one small home names it already
            self.fields["declaration"].initial = declarations[0].pk


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    upheld = forms.TypedChoiceField(
        label=_("the objection is"),
        choices=[
            ("no", _("not upheld: the title stands")),
            ("yes", _("upheld: back to the panel")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )


class NamingForm(forms.Form):
    document_no = forms.CharField(
        label=_("document no. (文号)"),
        max_length=60,
        required=False,
        help_text=_("As on the union's decision, e.g. 矿工发〔2026〕12号."),
    )
    named_on = forms.DateField(
        label=_("named on"), widget=DateInput(), validators=[validate_not_in_future]
    )

    def __init__(self, *args, declarations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_on"].initial = timezone.localdate()
        self.entries = []
        for declaration in declarations:
            name = f"level_{declaration.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"{declaration.group.workshop.name} · {declaration.group.name}",
                choices=levels_up_to(declaration.proposed_level),
                initial=declaration.proposed_level,
            )
            self.entries.append((declaration, self[name]))

    def levels(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data[f"level_{d.pk}"] for d, _field in self.entries}


class RecheckForm(forms.Form):
    reason = forms.CharField(label=_("why now"), max_length=200, required=False)


class RecheckDecideForm(VersionForm):
    outcome = forms.ChoiceField(
        label=_("decision"), choices=RecheckOutcome.choices, widget=forms.RadioSelect
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("small home title", "title after a downgrade"),
        required=False,
        choices=[("", "—"), *HomeLevel.choices],
    )
    reason = forms.CharField(
        label=_("reasons"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TitleEndForm(forms.Form):
    end = forms.ChoiceField(
        label=_("how the title ends"),
        choices=[(e.value, e.label) for e in (TitleEnd.GIVEN_UP, TitleEnd.LAPSED)],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(
        label=_("ended on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
