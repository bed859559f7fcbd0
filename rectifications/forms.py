from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE
from accounts.services import users_of_workshops
from groups.models import UnionGroup, WorkshopUnion
from unionhome.forms import DateInput, MultipleFileField
from unionhome.uploads import accepted_types_text

ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"


def owner_choices(workshop_ids=None):
    """Logins that may be named to report on an item: those with a role in the workshop
    unions (their office, their groups' leaders) and union HQ; every workshop union's when
    None. `workshop_ids`: ids, or a queryset of them."""
    return users_of_workshops(workshop_ids)


class ItemFields(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(
        label=_("what is to be put right"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    owner_department = forms.CharField(
        label=_("responsible department"),
        max_length=80,
        required=False,  # the service says what is missing, next to the field
        help_text=_("The department or person answerable for the item, e.g. 综采一队."),
    )
    owner_user = forms.ModelChoiceField(
        label=_("reported by (login)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— the raising office reports —"),
        help_text=_("The login that reports completion with evidence."),
    )
    due_on = forms.DateField(label=_("due on"), widget=DateInput(), required=False)


class RaiseForm(ItemFields):
    """The union office raises an item of its own (kind: other)."""

    workshop = forms.ModelChoiceField(
        label=_("workshop union"), queryset=WorkshopUnion.objects.none()
    )
    group = forms.ModelChoiceField(
        label=_("union group"),
        queryset=UnionGroup.objects.none(),
        required=False,
        empty_label=_("— the workshop union itself —"),
    )
    field_order = ["workshop", "group", "title", "description", "owner_department"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Rectification

        groups = Rectification.objects.groups_in_reach(user, CHANGE).select_related("workshop")
        workshops = Rectification.objects.workshops_in_reach(user, CHANGE)
        self.fields["workshop"].queryset = workshops.order_by("pk")
        self.fields["group"].queryset = groups.order_by("workshop", "pk")
        self.fields["group"].label_from_instance = lambda g: f"{g.workshop.name} · {g.name}"
        self.fields["owner_user"].queryset = owner_choices(workshops.values("pk"))
        if len(self.fields["workshop"].queryset) == 1:
            self.initial.setdefault("workshop", self.fields["workshop"].queryset[0])

    def clean(self):
        data = super().clean()
        workshop, group = data.get("workshop"), data.get("group")
        if workshop and group and group.workshop_id != workshop.pk:
            self.add_error("group", _("The union group is not of the chosen workshop union."))
        return data


class InspectionRaiseForm(ItemFields):
    """An item from an inspection's remarks, in the inspected group."""

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        group = inspection.declaration.group
        self.fields["owner_user"].queryset = owner_choices([group.workshop_id])
        remarks = (inspection.remarks or "").strip()
        first_line = remarks.splitlines()[0] if remarks else ""
        self.initial.setdefault("title", first_line[:120])
        self.initial.setdefault("description", remarks)
        self.initial.setdefault("owner_department", group.name)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("what was done"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    completed_on = forms.DateField(label=_("completed on"), widget=DateInput(), required=False)
    evidence_files = MultipleFileField(
        label=_("evidence (photos or documents)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("completed_on", timezone.localdate())
        field = self.fields["evidence_files"]
        field.help_text = _("Accepted: %(kinds)s.") % {"kinds": accepted_types_text()}
        field.widget.attrs["accept"] = ACCEPT


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("what is still missing"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
