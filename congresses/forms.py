"""The forms of the congress pages. Choices come from the user's reach; the services say
what is missing or wrong, next to the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import Member, UnionGroup, WorkshopUnion
from rectifications.forms import owner_choices
from unionhome.forms import DateInput

from . import services
from .models import (
    RECORD_GROUP,
    RECORD_WORKSHOP,
    Delegation,
    Level,
    MotionDecision,
    MotionSource,
    Session,
    Term,
)


class SessionForm(forms.ModelForm):
    """Plan a session of one level: the workshop union or the group from the user's reach."""

    workshop = forms.ModelChoiceField(
        label=_("workshop union"), queryset=WorkshopUnion.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("union group"), queryset=UnionGroup.objects.none(), required=False
    )

    class Meta:
        model = Session
        fields = ["workshop", "group", "title", "number", "planned_on", "place", "agenda"]
        widgets = {"planned_on": DateInput(), "agenda": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, level, **kwargs):
        super().__init__(*args, **kwargs)
        self.level = level
        if level == Level.WORKSHOP:
            groups = Session.objects.groups_in_reach(user, RECORD_WORKSHOP)
            self.fields["workshop"].queryset = WorkshopUnion.objects.filter(
                pk__in=groups.values("workshop_id")
            ).order_by("sort_order", "pk")
            self.fields["workshop"].required = True
            del self.fields["group"]
            workshops = list(self.fields["workshop"].queryset)
            if len(workshops) == 1:
                self.initial.setdefault("workshop", workshops[0])
        elif level == Level.GROUP:
            self.fields["group"].queryset = (
                Session.objects.groups_in_reach(user, RECORD_GROUP)
                .select_related("workshop")
                .order_by("workshop__sort_order", "sort_order", "pk")
            )
            self.fields["group"].label_from_instance = lambda g: f"{g.workshop.name} · {g.name}"
            self.fields["group"].required = True
            del self.fields["workshop"]
            groups = list(self.fields["group"].queryset)
            if len(groups) == 1:
                self.initial.setdefault("group", groups[0])
        else:
            del self.fields["workshop"]
            del self.fields["group"]
        self.fields["agenda"].help_text = _("One item a line.")

    def _post_clean(self):
        pass  # the service validates the session (its term, its place)


class SessionEditForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title", "number", "planned_on", "place", "agenda"]
        widgets = {"planned_on": DateInput(), "agenda": forms.Textarea(attrs={"rows": 6})}

    def _post_clean(self):
        pass


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("why it is returned"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """签到: tick everybody present."""

    present = forms.ModelMultipleChoiceField(
        label=_("present"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        expected = services.expected_attendees(session).select_related("group")
        field = self.fields["present"]
        field.queryset = expected
        field.label_from_instance = lambda m: f"{m.name}（{m.group.name}）"
        if session.attendance_taken and not self.is_bound:
            self.initial["present"] = list(
                session.attendance.filter(present=True).values_list("member_id", flat=True)
            )


class CloseForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DateInput(), required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("minutes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("photo of the session"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class MotionForm(forms.Form):
    source = forms.ChoiceField(
        label=_("put by"), choices=MotionSource.choices, widget=forms.RadioSelect
    )
    proposer = forms.ModelChoiceField(
        label=_("proposer"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("The member or representative who puts the motion."),
    )
    improvement = forms.ModelChoiceField(
        label=_("adopted suggestion"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("A suggestion the workshop union adopted, put to the congress as a motion."),
    )
    title = forms.CharField(
        label=_("title"),
        max_length=120,
        required=False,
        help_text=_("Left empty for a suggestion: its title."),
    )
    content = forms.CharField(
        label=_("content"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Left empty for a suggestion: its proposal."),
    )

    def __init__(self, *args, user, session, **kwargs):
        super().__init__(*args, **kwargs)
        members = services.proposer_choices(user=user, session=session)
        representatives = services.proposer_choices(
            user=user, session=session, source=MotionSource.REPRESENTATIVE
        )
        self.fields["proposer"].queryset = (
            (
                Member.objects.filter(pk__in=members.values("pk"))
                | Member.objects.filter(pk__in=representatives.values("pk"))
            )
            .select_related("group")
            .order_by("name", "pk")
        )
        self.fields["proposer"].label_from_instance = lambda m: f"{m.name}（{m.group.name}）"
        candidates = services.improvement_choices(user=user, session=session)
        self.fields["improvement"].queryset = candidates
        self.fields["improvement"].label_from_instance = lambda i: (
            f"{i.number} {i.title}（{i.member.name}）"
        )
        if session.level == Level.GROUP:
            self.fields["source"].choices = [
                c for c in MotionSource.choices if c[0] != MotionSource.REPRESENTATIVE
            ]
        self.initial.setdefault("source", MotionSource.MEMBER)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (MotionDecision.FILED, MotionDecision.FILED.label),
            (MotionDecision.NOT_FILED, MotionDecision.NOT_FILED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        required=False,
        help_text=_("Required when the motion is not filed."),
    )


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=_("resolution"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    motion = forms.ModelChoiceField(
        label=_("from motion"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    workshop = forms.ModelChoiceField(
        label=_("workshop union carrying it out"),
        queryset=WorkshopUnion.objects.none(),
        required=False,
    )
    owner_department = forms.CharField(
        label=_("responsible department"),
        max_length=80,
        required=False,
        help_text=_("The department answerable for carrying it out, e.g. 综采一队."),
    )
    owner_user = forms.ModelChoiceField(
        label=_("reported by (login)"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("— the recording union reports —"),
        help_text=_("The login that reports completion with evidence."),
    )
    due_on = forms.DateField(label=_("due on"), widget=DateInput(), required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motion"].queryset = session.motions.filter(decision=MotionDecision.FILED)
        if session.workshop_id:
            del self.fields["workshop"]
            self.fields["owner_user"].queryset = owner_choices([session.workshop_id])
        else:
            self.fields["workshop"].queryset = WorkshopUnion.objects.order_by("sort_order", "pk")
            self.fields["owner_user"].queryset = owner_choices(None)
        self.fields["owner_user"].label_from_instance = lambda u: u.name or u.username


class TermForm(forms.ModelForm):
    workshop = forms.ModelChoiceField(
        label=_("workshop union"), queryset=WorkshopUnion.objects.none(), required=False
    )

    class Meta:
        model = Term
        fields = ["workshop", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, level, **kwargs):
        super().__init__(*args, **kwargs)
        if level == Level.WORKSHOP:
            groups = Term.objects.groups_in_reach(user, RECORD_WORKSHOP)
            self.fields["workshop"].queryset = WorkshopUnion.objects.filter(
                pk__in=groups.values("workshop_id")
            ).order_by("sort_order", "pk")
            self.fields["workshop"].required = True
        else:
            del self.fields["workshop"]
        self.initial.setdefault("starts_on", timezone.localdate())

    def _post_clean(self):
        pass


class DelegationForm(forms.Form):
    name = forms.CharField(label=_("delegation"), max_length=40)


class RepresentativeForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=Member.objects.none())
    delegation = forms.ModelChoiceField(
        label=_("delegation"), queryset=Delegation.objects.none(), required=False
    )
    role = forms.CharField(
        label=pgettext_lazy("representative", "role"),
        max_length=20,
        required=False,
        help_text=_("e.g. 团长, 代表"),
    )

    def __init__(self, *args, user, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = services.representative_choices(user=user, term=term)
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.name}（{m.group.workshop.name} · {m.group.name}）"
        )
        self.fields["delegation"].queryset = term.delegations.all()
