from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """What a user does in the union; the scope each role reaches is in accounts.scoping."""

    HQ = "hq", _("Union HQ staff")
    WORKSHOP = "workshop", _("Workshop union")
    GROUP_LEADER = "group_leader", _("Group leader")
    EVALUATOR = "evaluator", _("Evaluator")


class AccountManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("workshop", "group__workshop")


class User(AbstractUser):
    """A login. Chinese names do not split into first and last, so there is one name field.

    A user's scope is stored: a workshop union user names its workshop union, a group
    leader names their union group. The system administrator is the superuser.
    """

    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    workshop = models.ForeignKey(
        "groups.WorkshopUnion",
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_users",
    )
    group = models.ForeignKey(
        "groups.UnionGroup",
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leader_users",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    handles_welfare = models.BooleanField(
        _("welfare staff"),
        default=False,
        help_text=_(
            "HQ staff who handle welfare cases and the hardship archive: they alone at HQ see "
            "the sensitive details."
        ),
    )

    objects = AccountManager()
    # Role and scope changes are audited; the password hash and login times are not kept.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_role",
                condition=(
                    Q(role=Role.WORKSHOP, workshop__isnull=False, group__isnull=True)
                    | Q(role=Role.GROUP_LEADER, workshop__isnull=True, group__isnull=False)
                    | (
                        ~Q(role__in=[Role.WORKSHOP, Role.GROUP_LEADER])
                        & Q(workshop__isnull=True, group__isnull=True)
                    )
                ),
                violation_error_message=_(
                    "A workshop union user needs a workshop union, a group leader needs a "
                    "union group, and other roles need neither."
                ),
            ),
        ]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def is_hq(self) -> bool:
        return self.is_superuser or self.role == Role.HQ

    @property
    def scope_label(self) -> str:
        """The part of the organisation this user works in, as shown in the page header."""
        if self.is_superuser and not self.role:
            return str(_("System administrator"))
        if self.role == Role.WORKSHOP and self.workshop_id:
            return str(self.workshop)
        if self.role == Role.GROUP_LEADER and self.group_id:
            return f"{self.group.workshop} · {self.group}"
        return self.get_role_display()
