from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import CHANGE, VIEW
from activities.models import Activity
from groups.models import MemberStatus, UnionGroup, WorkshopUnion
from unionhome.forms import DateInput

from .models import (
    Competition,
    CompetitionKind,
    CompetitionStatus,
    LearningKind,
    Level,
    Mechanism,
)
from .services import activity_place_q

HOURS_FIELD = {
    "max_digits": 6,
    "decimal_places": 1,
    "min_value": Decimal("0.1"),
    "max_value": Decimal("9999"),
}


def workshops_in_reach(user, action=CHANGE):
    """The workshop unions where the user may take `action` on competitions."""
    workshops = WorkshopUnion.objects.filter(is_active=True)
    q = workshops.q_for(user, Competition.objects.scope(user, action))
    return workshops if q is None else workshops.filter(q)


class CompetitionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=100)
    kind = forms.ModelChoiceField(
        label=_("kind of competition"), queryset=CompetitionKind.objects.filter(is_active=True)
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("competition", "organised by"), choices=Level.choices
    )
    workshop = forms.ModelChoiceField(
        label=_("workshop union"), queryset=WorkshopUnion.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("union group"), queryset=UnionGroup.objects.none(), required=False
    )
    starts_on = forms.DateField(label=pgettext_lazy("competition", "from"), widget=DateInput)
    ends_on = forms.DateField(label=pgettext_lazy("competition", "to"), widget=DateInput)
    description = forms.CharField(
        label=pgettext_lazy("competition", "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, competition=None, **kwargs):
        if competition is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": competition.title,
                    "kind": competition.kind_id,
                    "level": competition.level,
                    "workshop": competition.workshop_id,
                    "group": competition.group_id,
                    "starts_on": competition.starts_on,
                    "ends_on": competition.ends_on,
                    "description": competition.description,
                    "status": competition.status,
                    "activity": competition.activity_id,
                },
            )
        super().__init__(*args, **kwargs)
        scope = Competition.objects.scope(user, CHANGE)
        levels = []
        if scope.everything:
            levels.append(Level.HQ)
        if scope.everything or scope.workshop_ids:
            levels.append(Level.WORKSHOP)
        levels.append(Level.GROUP)
        self.fields["level"].choices = [(lvl.value, lvl.label) for lvl in reversed(levels)]
        self.fields["workshop"].queryset = workshops_in_reach(user)
        self.fields["group"].queryset = (
            Competition.objects.groups_in_reach(user, CHANGE)
            .filter(is_active=True)
            .select_related("workshop")
        )
        self.fields["group"].label_from_instance = lambda g: f"{g.workshop.name} · {g.name}"
        self.fields["group"].help_text = _("For a union group's own competition.")
        self.fields["workshop"].help_text = _("For a workshop union's competition.")
        if competition is not None:
            self.fields["status"] = forms.ChoiceField(
                label=_("status"), choices=CompetitionStatus.choices
            )
            self.fields["activity"] = forms.ModelChoiceField(
                label=_("activity record"),
                required=False,
                queryset=_activities_for(user, competition),
                help_text=_(
                    "An activity recorded for the competition, between its first and last day."
                ),
            )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The competition cannot end before it starts."))
        return data


def _activities_for(user, competition):
    """The activities the user reads that were held for the competition's part of the
    organisation during it (a short list: the competition's days only): its group's, its
    workshop union's groups' and its own above-group activities, or (the company union's)
    the company union's activities."""
    found = Activity.objects.restrict(user, VIEW).filter(
        held_on__gte=competition.starts_on, held_on__lte=competition.ends_on
    )
    return found.filter(
        activity_place_q(competition.level, competition.workshop_id, competition.group_id)
    ).order_by("held_on", "pk")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("workbook"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LessonForm(forms.Form):
    held_on = forms.DateField(label=_("date"), widget=DateInput)
    topic = forms.CharField(label=_("topic"), max_length=100)
    teacher = forms.CharField(label=_("given by"), max_length=50, required=False)
    hours = forms.DecimalField(label=_("hours"), **HOURS_FIELD)
    members = MemberChoices(
        label=_("members present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the members who were present.")},
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = group_members(group)


def group_members(group):
    from groups.models import Member

    return Member.objects.filter(group=group, status=MemberStatus.ACTIVE).order_by("employee_no")


class RecordForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("kind of learning"), queryset=LearningKind.objects.none())
    on = forms.DateField(label=_("date"), widget=DateInput)
    title = forms.CharField(
        label=_("title"),
        max_length=100,
        help_text=_("The lesson's topic, the book's title, the course or the certificate."),
    )
    hours = forms.DecimalField(
        label=_("hours"),
        required=False,
        help_text=_("For lessons and training."),
        **HOURS_FIELD,
    )
    notes = forms.CharField(
        label=_("notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For a book: the reading notes."),
    )
    certificate_no = forms.CharField(label=_("certificate no."), max_length=60, required=False)
    issuer = forms.CharField(
        label=pgettext_lazy("certificate", "issued by"), max_length=100, required=False
    )
    upload = forms.FileField(
        label=_("scan of the certificate"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}),
    )

    def __init__(self, *args, books_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = LearningKind.objects.filter(is_active=True)
        if books_only:
            kinds = kinds.filter(mechanism=Mechanism.BOOK)
            for name in ("hours", "certificate_no", "issuer", "upload"):
                del self.fields[name]
            self.fields["title"].label = _("book title")
        else:
            self.fields["upload"].help_text = _("For a certificate: a photo or a PDF scan.")
        self.fields["kind"].queryset = kinds
        if books_only:
            self.fields["kind"].initial = kinds.first()
