from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE
from groups.models import OVERSEE, Member, MemberStatus, UnionGroup, WorkshopUnion
from unionhome.forms import DateInput

from . import services
from .models import PROPOSE, Disclosure, DisclosureCategory, DisclosureSettings, Level


def _categories():
    return DisclosureCategory.objects.filter(is_active=True)


def place_choices(user) -> list[tuple[str, str]]:
    """Where the user may propose a disclosure: "enterprise", "w<id>" (a workshop union),
    "g<id>" (a union group). The candidates are the places the user works in (the scope
    rule's restrict), each kept where the rule's PROPOSE allows it (no query): at most two
    small queries, none for a level the user never proposes at."""
    queryset = Disclosure.objects.all()
    choices = []
    if services.may_propose(user, Level.ENTERPRISE):
        choices.append(("enterprise", str(_("Enterprise (厂务公开)"))))
    if queryset._level_scope(user, PROPOSE, Level.WORKSHOP):
        choices += [
            (f"w{w.pk}", _("%(name)s (workshop disclosure)") % {"name": w.name})
            for w in WorkshopUnion.objects.restrict(user, OVERSEE)
            if services.may_propose(user, Level.WORKSHOP, workshop=w)
        ]
    if queryset._level_scope(user, PROPOSE, Level.GROUP):
        choices += [
            (
                f"g{g.pk}",
                _("%(workshop)s · %(group)s (group disclosure)")
                % {"workshop": g.workshop.name, "group": g.name},
            )
            for g in UnionGroup.objects.restrict(user, CHANGE).select_related("workshop")
            if services.may_propose(user, Level.GROUP, group=g)
        ]
    return choices


def place_of(value: str) -> dict:
    """The proposal's level and place from a place choice."""
    if value == "enterprise":
        return {"level": Level.ENTERPRISE}
    if value.startswith("w"):
        return {"level": Level.WORKSHOP, "workshop": WorkshopUnion.objects.get(pk=value[1:])}
    return {"level": Level.GROUP, "group": UnionGroup.objects.get(pk=value[1:])}


class ProposalForm(forms.ModelForm):
    """The 申报表: what is disclosed, where and for how long it is to be posted."""

    place = forms.ChoiceField(label=_("disclosed by"))

    class Meta:
        model = Disclosure
        fields = ["category", "title", "content", "planned_where", "planned_days"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()
        self.fields["planned_days"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            del self.fields["place"]
        else:
            self.fields["place"].choices = place_choices(user)
            self.fields = {"place": self.fields.pop("place"), **self.fields}
            self.initial.setdefault(
                "planned_days", DisclosureSettings.current().default_posting_days
            )
            self.initial.setdefault("planned_where", _("the notice board"))

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        place = data.pop("place", None)
        if place:
            data.update(place_of(place))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve for posting")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("reviewer's opinion"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it is returned: say what to change."),
    )


class PostForm(forms.Form):
    """The posting: on a phone at the notice board, the camera opens for the photo."""

    posted_on = forms.DateField(label=_("posted on"), widget=DateInput())
    posted_until = forms.DateField(label=_("posted until"), widget=DateInput())
    posted_where = forms.CharField(label=_("posted where"), max_length=100)
    photo = forms.FileField(
        label=_("photo of the notice"),
        error_messages={"required": _("Take or choose a photo of the notice on the board.")},
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, disclosure, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.update(
            posted_on=today,
            posted_until=today + timedelta(days=disclosure.planned_days - 1),
            posted_where=disclosure.planned_where,
        )


class FeedbackForm(forms.Form):
    """A member's 意见表 (their own login) or, with `member`, the paper form their group
    leader records."""

    member = forms.ModelChoiceField(label=_("written by"), queryset=Member.objects.none())
    text = forms.CharField(
        label=_("your opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user, paper: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if paper:
            self.fields["member"].queryset = (
                Member.objects.restrict(user, CHANGE)
                .filter(status=MemberStatus.ACTIVE)
                .order_by("name")
            )
            self.fields["text"].label = _("opinion as written on the paper form")
        else:
            del self.fields["member"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class RectifyForm(forms.Form):
    """A rectification raised from an answered feedback (the shared 整改 tracker)."""

    workshop = forms.ModelChoiceField(
        label=_("workshop union answering for it"), queryset=WorkshopUnion.objects.all()
    )
    title = forms.CharField(label=_("what is to be put right"), max_length=120)
    description = forms.CharField(
        label=_("details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_department = forms.CharField(
        label=_("responsible department"),
        max_length=80,
        error_messages={
            "required": _("Say which department or person is responsible for the rectification.")
        },
    )
    due_on = forms.DateField(label=_("due on"), widget=DateInput())

    def __init__(self, *args, feedback, **kwargs):
        super().__init__(*args, **kwargs)
        if feedback.disclosure.level != Level.ENTERPRISE:
            del self.fields["workshop"]
        days = DisclosureSettings.current().rectify_within_days
        self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=days))
        self.initial.setdefault("description", feedback.answer)
