"""Member logins and the suggestions members file.

A member's login is activated with a one-time code their group leader, workshop union or
HQ prints or sends (ActivationCode); the member then chooses their own password. The
member role it carries is granted in `hooks.role_grants`, decided in accounts.scoping.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import CHANGE, OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.models import Member, UnionGroup
from unionhome.models import SingleRecord

# A member files a suggestion (of their own); the workshop union and HQ answer it.
FILE = "file"
ANSWER = "answer"
HANDLERS = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


class PortalSettings(SingleRecord):
    """One record, edited by HQ in the admin site: how long an activation code lasts and
    when the activation page stops taking guesses."""

    code_valid_days = models.PositiveSmallIntegerField(
        _("days an activation code is valid"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A code not used within this many days must be issued again."),
    )
    failure_limit = models.PositiveSmallIntegerField(
        _("wrong codes allowed per employee no."),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "After this many wrong codes for one employee no., activation for that "
            "number stops for the lock time."
        ),
    )
    address_failure_limit = models.PositiveSmallIntegerField(
        _("wrong codes allowed per network address"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_(
            "After this many wrong codes from one network address (whatever the number), "
            "activation from that address stops for the lock time. A works network where "
            "many members share one address needs more than the number above."
        ),
    )
    lock_minutes = models.PositiveSmallIntegerField(
        _("lock time (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Wrong codes older than this no longer count."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member login settings")
        verbose_name_plural = _("member login settings")

    def __str__(self):
        return str(_("Member login settings"))


class ActivationCodeQuerySet(ScopedQuerySet):
    # Issued by those who change the member's details: their group leader, workshop
    # union, HQ (the same reach as groups.Member's CHANGE).
    group_lookup = "member__group"
    workshop_lookup = "member__group__workshop"
    policy = {VIEW: OWN_PART, CHANGE: OWN_PART}

    def live(self):
        """Not used, not voided, not expired."""
        return self.filter(
            used_at__isnull=True, voided_at__isnull=True, expires_at__gt=timezone.now()
        )


class ActivationCode(models.Model):
    """One activation code of a member's login. Only a keyed hash of it is kept (the slip
    is printed when it is issued); it is used once, lapses after the days HQ sets, and a
    new one voids the one before. The rows stay: who issued which code, and when."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="login_codes"
    )
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # A new code voids the one before: at most one open code per member.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(used_at__isnull=True, voided_at__isnull=True),
                name="activation_one_open_code",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.issued_at:%Y-%m-%d}"

    @property
    def scope_ids(self):
        return self.member.group.workshop_id, self.member.group_id

    @property
    def state(self) -> str:
        if self.used_at:
            return str(_("used"))
        if self.voided_at:
            return str(_("voided"))
        if self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("waiting to be used"))

    @staticmethod
    def expiry_from(start, days: int):
        return start + timedelta(days=days)


class ActivationFailure(models.Model):
    """A wrong code typed on the activation page (an unknown employee no. counts the
    same): the lockout counts these per number and per address within the lock time."""

    employee_no = models.CharField(_("employee no."), max_length=20, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed activation")
        verbose_name_plural = _("failed activations")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.employee_no} {self.address} {self.at:%Y-%m-%d %H:%M}"


class LoginEvent(models.Model):
    """A step of a member's login: a code issued, the login activated, disabled."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Activation code issued")
        ACTIVATED = "activated", _("Login activated")
        DISABLED = "disabled", _("Login disabled")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="login_events"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("member login step")
        verbose_name_plural = _("member login steps")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()}"


class SuggestionKind(models.TextChoices):
    SUGGESTION = "suggestion", pgettext_lazy("a member's", "Suggestion")
    OPINION = "opinion", pgettext_lazy("a member's", "Opinion")
    FEEDBACK = "feedback", pgettext_lazy("a member's", "Feedback")


class SuggestionStatus(models.TextChoices):
    FILED = "filed", _("Submitted")
    ACCEPTED = "accepted", _("Taken up")
    ANSWERED = "answered", _("Answered")


class SuggestionQuerySet(ScopedQuerySet):
    """A member sees and files their own; their workshop union (of the group they were
    in when they filed it) and HQ read and answer them. Group leaders do not see them."""

    group_lookup = "group"
    workshop_lookup = "group__workshop"
    member_lookup = "member"
    policy = {
        VIEW: {**HANDLERS, Role.MEMBER: Reach.SELF},
        FILE: {Role.MEMBER: Reach.SELF},
        ANSWER: HANDLERS,
    }

    def open(self):
        return self.exclude(status=SuggestionStatus.ANSWERED)


class Suggestion(models.Model):
    """意见建议: a member's suggestion, opinion or feedback to their workshop union, taken up
    and answered there."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="suggestions"
    )
    # The group the member was in when filing: its workshop union answers.
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=SuggestionKind.choices, default=SuggestionKind.SUGGESTION
    )
    text = models.TextField(_("text"), max_length=2000)
    filed_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.FILED
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "group"], name="suggestion_status_group")]
        constraints = [
            models.CheckConstraint(
                name="suggestion_answer_has_reply",
                condition=~Q(status="answered") | ~Q(reply=""),
                violation_error_message=_("An answered suggestion has a reply."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.member.name}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id
