import copy

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE
from unionhome.forms import DateInput
from unionhome.validators import validate_not_in_future

from .models import MANAGE, PERSONAL, LeaveKind, Member, MemberOption, Post, UnionGroup
from .services import MEMBER_DETAIL_FIELDS, PERSONAL_FIELDS


class GroupChoiceField(forms.ModelChoiceField):
    """Union groups labelled with their workshop union: "锅炉车间 · 运行一班"."""

    def label_from_instance(self, obj):
        return f"{obj.workshop.name} · {obj.name}"

    def offer(self, queryset) -> None:
        """List only `queryset`'s groups as the choices while still accepting any group of
        the field's own queryset: a filter that offers one workshop union's groups still
        takes a link to any group in reach."""
        offered = copy.copy(self)
        offered._queryset = queryset
        self.widget.choices = ModelChoiceIterator(offered)


def groups_for(user, action):
    return (
        UnionGroup.objects.restrict(user, action).filter(is_active=True).select_related("workshop")
    )


def past_date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=DateInput(), validators=[validate_not_in_future], **kwargs
    )


class MemberForm(forms.ModelForm):
    """A member's details. The group is chosen when the member is enrolled; later moves
    have their own form so that the history of groups is kept."""

    group = GroupChoiceField(queryset=UnionGroup.objects.none(), label=_("union group"))

    class Meta:
        model = Member
        fields = ["employee_no", "name", "group", *MEMBER_DETAIL_FIELDS]
        widgets = {
            "birth_date": DateInput(),
            "joined_union_on": DateInput(),
            "work_started_on": DateInput(),
            "gender": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    # The form's parts as the registration form (会员登记表) has them.
    SECTIONS = (
        (
            _("Basic details"),
            ("employee_no", "name", "group", "id_number", "gender", "birth_date", "ethnicity"),
        ),
        (
            _("Registration"),
            ("political_status", "education", "hukou_type", "phone"),
        ),
        (
            _("Work and membership"),
            (
                "employment_type",
                "position",
                "skill_grade",
                "work_started_on",
                "joined_union_on",
                "card_no",
            ),
        ),
        (
            _("Honours and care"),
            (
                "model_worker_level",
                "is_model_worker",
                "is_worker_representative",
                "is_hardship",
                "is_retired",
            ),
        ),
    )

    def sections(self):
        """[(title, [bound fields])] for the template, leaving out fields not offered."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = self.fields["gender"].choices[1:]  # no blank choice
        self.fields["gender"].required = False  # may come from the identity number
        self.fields["gender"].help_text = _("Left empty, it is taken from the identity number.")
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is MemberOption:
                # Retired entries stay on the members who hold them.
                held = getattr(self.instance, f"{name}_id", None)
                option_list = Member._meta.get_field(name).remote_field.limit_choices_to
                field.queryset = MemberOption.objects.filter(
                    Q(is_active=True) | Q(pk=held), **option_list
                )
        if self.instance.pk:
            del self.fields["group"]
            if not Member.objects.allows(user, PERSONAL, self.instance):
                # Entered when enrolling; later seen and corrected by the entitled only.
                for name in PERSONAL_FIELDS:
                    del self.fields[name]
        else:
            self.fields["group"].queryset = groups_for(user, CHANGE)
            own = UnionGroup.objects.scope(user, CHANGE).only_group_id
            if own is not None:
                # A group leader enrols into their own group: already chosen.
                self.fields["group"].empty_label = None
                self.fields["group"].initial = own


class MemberMoveForm(forms.Form):
    to_group = GroupChoiceField(queryset=UnionGroup.objects.none(), label=_("move to group"))
    moved_on = past_date_field(_("moved on"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups_for(user, MANAGE).exclude(pk=member.group_id)
        self.fields["moved_on"].initial = timezone.localdate()


class MemberLeaveForm(forms.Form):
    # A transfer to another organisation has its own page, which prints the letter.
    kind = forms.ChoiceField(
        label=_("how the membership ends"),
        choices=[(k.value, k.label) for k in LeaveKind if k != LeaveKind.TRANSFERRED],
        initial=LeaveKind.QUIT,
        required=False,
        widget=forms.RadioSelect,
    )
    left_on = past_date_field(_("left on"))
    reason = forms.CharField(label=_("reason for leaving"), max_length=200)

    def clean_kind(self):
        return self.cleaned_data["kind"] or LeaveKind.QUIT

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class MemberRejoinForm(forms.Form):
    group = GroupChoiceField(queryset=UnionGroup.objects.none(), label=_("union group"))
    rejoined_on = past_date_field(_("rejoined on"))

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups_for(user, MANAGE)
        self.fields["group"].initial = member.group_id
        self.fields["rejoined_on"].initial = timezone.localdate()


class GroupPostsForm(forms.Form):
    """One choice of member per post; the leader post only for those who may appoint it."""

    def __init__(self, *args, group, members, can_appoint_leader, holders, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— vacant —"))] + [
            (m.pk, f"{m.name}（{m.employee_no}）") for m in members
        ]
        self.members = {m.pk: m for m in members}
        self.posts = [p for p in Post if p != Post.LEADER or can_appoint_leader]
        for post in self.posts:
            holder = holders.get(post)
            self.fields[post.value] = forms.TypedChoiceField(
                label=post.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=holder.member_id if holder else None,
            )
        self.fields["since"] = past_date_field(
            _("appointed on"),
            initial=timezone.localdate(),
            help_text=_("Applies to the posts whose holder changes."),
        )

    def changed_posts(self, holders):
        """(post, member or None) for each post whose holder the user changed."""
        for post in self.posts:
            chosen = self.cleaned_data.get(post.value)
            current = holders.get(post)
            if (current.member_id if current else None) != chosen:
                yield post, self.members.get(chosen) if chosen else None
