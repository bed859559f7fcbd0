from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """What a user does in the union; what each role reaches is in accounts.scoping."""

    HQ = "hq", _("Union HQ staff")
    WORKSHOP = "workshop", _("Workshop union")
    GROUP_LEADER = "group_leader", _("Group leader")
    EVALUATOR = "evaluator", _("Evaluator")
    # Not assigned by hand: a member of an inspection panel holds it for each group
    # assigned to the panel (granted by the `homes` app through the role_grants hook).
    INSPECTOR = "inspector", _("Inspection panel member")
    # Not assigned by hand either: a member whose login is activated holds it, with their
    # union group and their own member record (granted by the `portal` app).
    MEMBER = "member", _("Member")


# The roles an administrator assigns; the others come from what the user takes part in.
ASSIGNABLE_ROLES = [Role.HQ, Role.WORKSHOP, Role.GROUP_LEADER, Role.EVALUATOR]
# The order in which a person's roles are named (the page header, the home page).
ROLE_ORDER = [
    Role.HQ,
    Role.WORKSHOP,
    Role.EVALUATOR,
    Role.GROUP_LEADER,
    Role.INSPECTOR,
    Role.MEMBER,
]


class User(AbstractUser):
    """A login. Chinese names do not split into first and last, so there is one name field.

    A user holds any number of roles (RoleAssignment): a workshop union chair who also leads
    a group, HQ staff who also evaluate. What they reach is the union of their roles'
    reach, decided in accounts.scoping. The system administrator is the superuser.
    """

    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    handles_welfare = models.BooleanField(
        _("welfare staff"),
        default=False,
        help_text=_(
            "HQ staff who handle welfare cases and the hardship archive: they alone at HQ see "
            "the sensitive details."
        ),
    )

    large_text = models.BooleanField(
        _("larger text"),
        default=False,
        help_text=_("The pages are shown in larger type (适老化); the user switches it."),
    )

    objects = UserManager()
    # Account changes are audited; the password hash, login times and the reading
    # preference are not kept.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "large_text"])

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def grants(self):
        """The roles this user holds now, each with its place in the organisation: the
        stored assignments and those other apps grant (a panel member's groups). Read
        once per request, and again after this process changed anybody's roles."""
        from .scoping import grants_epoch, load_grants

        epoch = grants_epoch()
        cached = self.__dict__.get("_grants")
        if cached is None or cached[0] != epoch:
            cached = (epoch, load_grants(self))
            self.__dict__["_grants"] = cached
        return cached[1]

    def forget_grants(self) -> None:
        """After a change of roles, read them again on next use."""
        self.__dict__.pop("_grants", None)

    def holds(self, role: str) -> bool:
        return any(grant.role == role for grant in self.grants)

    @property
    def scope_label(self) -> str:
        """The parts of the organisation this user works in, as shown in the page header."""
        if self.is_superuser and not self.grants:
            return str(_("System administrator"))
        labels = []
        for grant in sorted(self.grants, key=lambda g: ROLE_ORDER.index(g.role)):
            label = grant.label
            if label not in labels:
                labels.append(label)
        return "、".join(labels) or str(_("No role"))


class RoleAssignment(models.Model):
    """One role a user holds. A workshop union role names its workshop union, a group
    leader's names the union group; HQ staff and evaluators reach the whole organisation."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=[(r.value, r.label) for r in ASSIGNABLE_ROLES]
    )
    workshop = models.ForeignKey(
        "groups.WorkshopUnion",
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_roles",
    )
    group = models.ForeignKey(
        "groups.UnionGroup",
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leader_roles",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role=Role.WORKSHOP, workshop__isnull=False, group__isnull=True)
                    | Q(role=Role.GROUP_LEADER, workshop__isnull=True, group__isnull=False)
                    | (
                        ~Q(role__in=[Role.WORKSHOP, Role.GROUP_LEADER])
                        & Q(workshop__isnull=True, group__isnull=True)
                    )
                ),
                violation_error_message=_(
                    "A workshop union role needs a workshop union, a group leader needs a "
                    "union group, and other roles need neither."
                ),
            ),
            # One role once per place: the organisation-wide roles once, the others once
            # per workshop union or group.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(workshop__isnull=True, group__isnull=True),
                name="role_once_organisation_wide",
                violation_error_message=_("The user already holds this role."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "workshop"],
                condition=Q(workshop__isnull=False),
                name="role_once_per_workshop",
                violation_error_message=_("The user already holds this role here."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "group"],
                condition=Q(group__isnull=False),
                name="role_once_per_group",
                violation_error_message=_("The user already holds this role here."),
            ),
        ]

    def __str__(self):
        place = self.workshop or self.group
        return f"{self.get_role_display()} · {place}" if place else self.get_role_display()

    def clean(self):
        # The same rule as the constraint, said next to the field that is wrong.
        if self.role == Role.WORKSHOP:
            errors = {
                "workshop": None if self.workshop_id else _("Choose the workshop union."),
                "group": _("A workshop union role names no group.") if self.group_id else None,
            }
        elif self.role == Role.GROUP_LEADER:
            errors = {
                "group": None if self.group_id else _("Choose the union group they lead."),
                "workshop": _("A group leader's role names the group, not its workshop union.")
                if self.workshop_id
                else None,
            }
        else:
            whole = _("This role reaches the whole organisation; leave it empty.")
            errors = {
                "workshop": whole if self.workshop_id else None,
                "group": whole if self.group_id else None,
            }
        errors = {field: message for field, message in errors.items() if message}
        if errors:
            raise ValidationError(errors)
