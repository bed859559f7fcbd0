"""厂务公开 / 班务公开: a register of what the enterprise, a workshop union or a union group
discloses, in the six steps the union's rule names (提出 → 审查 → 公开 → 监督 → 反馈 → 整改),
with the employees' feedback (意见表) and its answers.

Who does what (decided here, where the issue is silent):
- 提出 (propose): a group leader for their group's 班务公开, a workshop union for its own
  车间公开, HQ for the enterprise's 厂务公开 — the "disclosing office", which also posts the
  notice, answers the feedback and closes the disclosure.
- 审查 (review): the level above: a group's disclosure by its workshop union (or HQ in its
  stead), a workshop union's and the enterprise's by HQ (for the enterprise, by another
  person than the one who proposed it). The reviewer approves it or returns it with a note.
- The posted disclosures are read as on a notice board: an enterprise one by every login of
  the organisation, a workshop one by the people of that workshop union, a group one by
  that group's people.
"""

import uuid
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, DurationField, ExpressionWrapper, Q, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import (
    CHANGE,
    HQ_ONLY,
    RECORDS_READERS,
    VIEW,
    Reach,
    Scope,
    ScopedQuerySet,
)
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.models import SingleRecord

# Actions beyond VIEW and CHANGE (CHANGE: the disclosing office's steps — edit and resubmit,
# post, end the supervision, answer the feedback, raise a rectification, close).
PROPOSE = "propose"
REVIEW = "review"
BOARD = "board"  # read a posted disclosure as on the notice board
FILE = "file"  # a member files an 意见表 through their own login
RECORD = "record"  # a group leader records a paper 意见表 on a member's behalf
ANSWER = "answer"  # the disclosing office answers a feedback
IDENTITY = "identity"  # who wrote a feedback: HQ only, and every look is logged
# A member's own feedback forms listed as theirs (the board's "My feedback", their home
# page): the author alone. Nobody else lists feedback by its author — HQ looks one form up
# at a time, logged (IDENTITY).
AUTHORED = "authored"


class Level(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise (厂务公开)")
    WORKSHOP = "workshop", _("Workshop union (车间公开)")
    GROUP = "group", _("Union group (班务公开)")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for review")
    RETURNED = "returned", _("Returned for changes")
    REVIEWED = "reviewed", _("Reviewed, waiting to be posted")
    POSTED = "posted", _("Posted, under supervision")
    SUPERVISED = "supervised", _("Supervision over, answers pending")
    FEEDBACK = "feedback", _("Feedback answered")
    RECTIFIED = "rectified", _("Closed, rectification raised")
    CLOSED = "closed", pgettext_lazy("disclosure", "Closed")


# The states a posted disclosure is in (read on the notice board).
POSTED_STATES = (
    Status.POSTED,
    Status.SUPERVISED,
    Status.FEEDBACK,
    Status.RECTIFIED,
    Status.CLOSED,
)
FINAL_STATES = (Status.RECTIFIED, Status.CLOSED)


class DisclosureCategory(models.Model):
    """What is disclosed (奖金分配, 考勤, 评先评优 …): data HQ keeps in the admin site."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Untick to stop offering it for new disclosures.")
    )

    class Meta:
        verbose_name = _("disclosure category")
        verbose_name_plural = _("disclosure categories")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class DisclosureSettings(SingleRecord):
    """The union's rule of disclosure in numbers (one record, edited by HQ)."""

    answer_within_days = models.PositiveSmallIntegerField(
        _("feedback answered within (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "A feedback form is answered on time when its answer comes within this many "
            "days of the day it was filed."
        ),
    )
    default_posting_days = models.PositiveSmallIntegerField(
        _("posting days proposed by default"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How long a notice stays posted unless the proposal says otherwise."),
    )
    min_posting_days = models.PositiveSmallIntegerField(
        _("posted for at least (days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A notice posted for fewer days (first and last day counted) is refused."),
    )
    rectify_within_days = models.PositiveSmallIntegerField(
        _("rectification due within (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "The due date a rectification raised from a feedback form is given unless "
            "the office changes it."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("disclosure rules")
        verbose_name_plural = _("disclosure rules")

    def __str__(self):
        return str(_("disclosure rules"))


# Who may propose (and, as the disclosing office, post, answer and close) and who reviews,
# by the level of the disclosure.
OFFICE = {
    Level.GROUP: {Role.GROUP_LEADER: Reach.GROUP},
    Level.WORKSHOP: {Role.WORKSHOP: Reach.WORKSHOP},
    Level.ENTERPRISE: HQ_ONLY,
}
REVIEWER = {
    Level.GROUP: {Role.WORKSHOP: Reach.WORKSHOP, Role.HQ: Reach.ALL},
    Level.WORKSHOP: HQ_ONLY,
    Level.ENTERPRISE: HQ_ONLY,
}
# Whose to-do list holds a proposal waiting for review: HQ may review a group's in the
# workshop union's stead, but it waits on the workshop union's list.
REVIEW_DUTY = "review_duty"
LEVEL_POLICY = {
    PROPOSE: OFFICE,
    CHANGE: OFFICE,
    REVIEW: REVIEWER,
    REVIEW_DUTY: {**REVIEWER, Level.GROUP: {Role.WORKSHOP: Reach.WORKSHOP}},
}
# The notice board: every login of the organisation reads the posted disclosures of its
# part (an enterprise one everybody, a workshop one its workshop union's people, a group
# one its group's people).
BOARD_POLICY = {
    BOARD: {
        Role.HQ: Reach.ALL,
        Role.EVALUATOR: Reach.ALL,
        Role.WORKSHOP: Reach.WORKSHOP,
        Role.GROUP_LEADER: Reach.GROUP,
        Role.INSPECTOR: Reach.GROUP,
        Role.MEMBER: Reach.GROUP,
    },
    FILE: {Role.MEMBER: Reach.GROUP},
    RECORD: {Role.GROUP_LEADER: Reach.GROUP},
}


def _any_of(policies) -> dict:
    """The union of several policies (a role's widest reach), for `may`."""
    order = [Reach.NONE, Reach.GROUP, Reach.WORKSHOP, Reach.ALL]
    found: dict = {}
    for policy in policies:
        for role, reach in policy.items():
            if order.index(reach) > order.index(found.get(role, Reach.NONE)):
                found[role] = reach
    return found


class DisclosureQuerySet(ScopedQuerySet):
    """A disclosure belongs to its level's place: the enterprise (no workshop union), a
    workshop union, or a union group (with its workshop union). VIEW: the disclosing part of
    the organisation and those above it (HQ, evaluators, the workshop union over a group),
    and — once posted — every login of the audience (BOARD). PROPOSE, REVIEW and CHANGE
    depend on the level (OFFICE, REVIEWER)."""

    group_lookup = "group"
    workshop_lookup = "workshop"
    policy = {
        VIEW: RECORDS_READERS,
        **{action: _any_of(levels.values()) for action, levels in LEVEL_POLICY.items()},
        **BOARD_POLICY,
    }

    # The notice board ------------------------------------------------------------------

    @staticmethod
    def board_q(scope: Scope) -> Q | None:
        if scope.everything:
            return None
        if not scope:
            return Q(pk__in=[])
        q = Q(level=Level.ENTERPRISE)
        if scope.workshop_ids:
            q |= Q(workshop__in=sorted(scope.workshop_ids))
        if scope.group_ids:
            q |= Q(group__in=sorted(scope.group_ids))
            q |= Q(level=Level.WORKSHOP, workshop__in=sorted(scope.group_workshop_ids))
        return q

    @staticmethod
    def board_allows(scope: Scope, obj) -> bool:
        if obj.status not in POSTED_STATES or not scope:
            return False
        if scope.everything or obj.level == Level.ENTERPRISE:
            return True
        if obj.workshop_id in scope.workshop_ids or obj.group_id in scope.group_ids:
            return True
        return obj.level == Level.WORKSHOP and obj.workshop_id in scope.group_workshop_ids

    def _board_scope_q(self, user, action) -> Q:
        q = self.board_q(self.scope(user, action))
        posted = Q(status__in=POSTED_STATES)
        return posted if q is None else posted & q

    def _level_scope(self, user, action, level) -> Scope:
        policy = LEVEL_POLICY[action][level]
        return self.scope_by(user, lambda role: policy.get(role, Reach.NONE))

    # The scope rule ----------------------------------------------------------------------

    def scope_q(self, user, action: str = VIEW) -> Q | None:
        if action in LEVEL_POLICY:
            q = Q(pk__in=[])
            for level in Level:
                scope = self._level_scope(user, action, level)
                if scope:
                    place = self.q_for(user, scope)
                    q |= Q(level=level) if place is None else Q(level=level) & place
            return q
        if action in BOARD_POLICY:
            return self._board_scope_q(user, action)
        q = super().scope_q(user, action)
        if action == VIEW and q is not None:
            q |= self._board_scope_q(user, BOARD)
        return q

    def may(self, user, action: str = VIEW, *, others: bool = False) -> bool:
        if action == VIEW:
            return super().may(user, VIEW) or super().may(user, BOARD)
        return super().may(user, action, others=others)

    def allows(self, user, action: str, obj) -> bool:
        if action in LEVEL_POLICY:
            return self.scope_allows(user, self._level_scope(user, action, obj.level), obj)
        if action in BOARD_POLICY:
            return self.board_allows(self.scope(user, action), obj)
        if super().allows(user, action, obj):
            return True
        return action == VIEW and self.board_allows(self.scope(user, BOARD), obj)

    def may_register(self, user) -> bool:
        """Whether the user reads the register of their part (not only the notice board)."""
        return ScopedQuerySet.may(self, user, VIEW)

    def posted(self):
        return self.filter(status__in=POSTED_STATES)


def photo_path(instance, filename):
    return f"disclosures/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


def thumb_path(instance, filename):
    return f"disclosures/thumbs/{date.today():%Y/%m}/{uuid.uuid4().hex}.jpg"


class Disclosure(models.Model):
    """One matter disclosed (公开事项): proposed, reviewed, posted on the notice board for a
    span (the supervision period, when employees give feedback), its feedback answered,
    rectifications raised from the answers, and closed."""

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        DisclosureCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    title = models.CharField(_("matter disclosed"), max_length=100)
    content = models.TextField(_("content"), max_length=5000)
    planned_where = models.CharField(
        _("where it will be posted"),
        max_length=100,
        help_text=_("The notice board, a written notice, the network, the meeting …"),
    )
    planned_days = models.PositiveSmallIntegerField(
        _("days it will stay posted"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reviewer's opinion"), max_length=500, blank=True)
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    posted_until = models.DateField(_("posted until"), null=True, blank=True)
    posted_where = models.CharField(_("posted where"), max_length=100, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    photo = models.FileField(
        _("photo of the notice"), upload_to=photo_path, blank=True, max_length=200
    )
    photo_mime = models.CharField(max_length=40, blank=True)
    photo_thumb = models.FileField(upload_to=thumb_path, blank=True, max_length=200)
    supervision_ended_at = models.DateTimeField(_("supervision ended at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "posted_on"], name="disclosure_status_posted"),
            models.Index(fields=["group", "posted_on"], name="disclosure_group_posted"),
        ]
        constraints = [
            models.CheckConstraint(
                name="disclosure_place_fits_level",
                condition=Q(level="enterprise", workshop__isnull=True, group__isnull=True)
                | Q(level="workshop", workshop__isnull=False, group__isnull=True)
                | Q(level="group", workshop__isnull=False, group__isnull=False),
            ),
            models.CheckConstraint(
                name="disclosure_posted_span",
                condition=Q(posted_on__isnull=True) | Q(posted_until__gte=models.F("posted_on")),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    @property
    def number(self) -> str:
        """The register number on the 申报表: year of proposal and record number."""
        return f"GK{self.proposed_at:%Y}-{self.pk:04d}" if self.pk else ""

    @property
    def place(self) -> str:
        """Who discloses: the enterprise, the workshop union, or 'workshop · group'."""
        if self.level == Level.GROUP:
            return f"{self.group.workshop.name} · {self.group.name}"
        if self.level == Level.WORKSHOP:
            return self.workshop.name
        return str(_("Enterprise"))

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATES

    def is_open_for_feedback(self, today: date | None = None) -> bool:
        """In the supervision period: posted, not ended, and today within the posting."""
        today = today or timezone.localdate()
        return (
            self.status == Status.POSTED
            and self.posted_on is not None
            and self.posted_on <= today <= self.posted_until
        )


class FeedbackQuerySet(ScopedQuerySet):
    """A feedback form is read with its disclosure (without the author's name), answered by
    the disclosing office; its author's member login reaches their own (SELF). Who wrote it
    (IDENTITY) is HQ's alone."""

    group_lookup = "disclosure__group"
    workshop_lookup = "disclosure__workshop"
    member_lookup = "member"
    policy = {
        VIEW: {**RECORDS_READERS, Role.MEMBER: Reach.SELF},
        ANSWER: DisclosureQuerySet.policy[CHANGE],
        IDENTITY: HQ_ONLY,
        AUTHORED: {Role.MEMBER: Reach.SELF},
    }
    # What the disclosure's rule decides for each action on its feedback.
    DISCLOSURE_ACTION = {VIEW: VIEW, ANSWER: CHANGE}

    def scope_q(self, user, action: str = VIEW) -> Q | None:
        if action not in self.DISCLOSURE_ACTION:
            return super().scope_q(user, action)
        q = Disclosure.objects.scope_q(user, self.DISCLOSURE_ACTION[action])
        if q is None:
            return None
        q = Q(disclosure__in=Disclosure.objects.filter(q).values("pk"))
        own = self.scope(user, action).member_ids
        if action == VIEW and own:
            q |= Q(member__in=sorted(own))
        return q

    def may(self, user, action: str = VIEW, *, others: bool = False) -> bool:
        if action in self.DISCLOSURE_ACTION:
            return Disclosure.objects.may(user, self.DISCLOSURE_ACTION[action]) or (
                action == VIEW and super().may(user, VIEW)
            )
        return super().may(user, action, others=others)

    def allows(self, user, action: str, obj) -> bool:
        if action in self.DISCLOSURE_ACTION:
            if Disclosure.objects.allows(user, self.DISCLOSURE_ACTION[action], obj.disclosure):
                return True
            return action == VIEW and obj.member_id in self.scope(user, VIEW).member_ids
        return super().allows(user, action, obj)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    # The rule of answering on time, the one place it is written: a form is due on the
    # day it was filed plus the settings' days (local days); answered on time when its
    # answer comes on that day or before, overdue while unanswered after it.

    @staticmethod
    def on_time_condition(days: int):
        """Answered within `days` days of filing, as a condition the database evaluates
        (in a filter, a conditional Count or an annotation). The local days of filing
        and answering are compared (TruncDate converts to the current time zone on
        SQLite and PostgreSQL alike); an unanswered form is not on time."""
        lag = ExpressionWrapper(
            TruncDate("answered_at") - TruncDate("filed_at"), output_field=DurationField()
        )
        return LessThanOrEqual(lag, Value(timedelta(days=days), output_field=DurationField()))

    @staticmethod
    def overdue_q(days: int, today: date | None = None) -> Q:
        """Unanswered and past its due day (filed before today minus `days`)."""
        today = today or timezone.localdate()
        return Q(answered_at__isnull=True, filed_at__date__lt=today - timedelta(days=days))

    def with_timeliness(self, days: int, today: date | None = None):
        """Each form with `on_time` and `overdue` (booleans) by the rule."""
        return self.annotate(
            on_time=ExpressionWrapper(
                Q(answered_at__isnull=False) & Q(self.on_time_condition(days)),
                output_field=BooleanField(),
            ),
            overdue=ExpressionWrapper(self.overdue_q(days, today), output_field=BooleanField()),
        )


class Feedback(models.Model):
    """意见表: an employee's opinion on a posted disclosure, filed through their own login
    or recorded from the paper form by their group leader, and the disclosing office's
    answer. Others read it without the author's name; HQ alone may look who wrote it."""

    disclosure = models.ForeignKey(
        Disclosure,
        verbose_name=_("disclosure"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_paper = models.BooleanField(_("paper form recorded by the group leader"), default=False)
    text = models.TextField(_("opinion"), max_length=2000)
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        ordering = ["filed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="feedback_answer_has_text",
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
            ),
        ]

    def __str__(self):
        return f"{self.disclosure_id} · {self.filed_at:%Y-%m-%d}"

    @property
    def scope_ids(self):
        return self.disclosure.workshop_id, self.disclosure.group_id

    @property
    def number(self) -> str:
        return f"YJ{self.filed_at:%Y}-{self.pk:04d}" if self.pk else ""

    def answer_due(self, days: int) -> date:
        """The last day of a timely answer, shown beside the form (the rule itself:
        FeedbackQuerySet.on_time_condition / overdue_q)."""
        return timezone.localdate(self.filed_at) + timedelta(days=days)


class IdentityLookQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the log is append-only")

    def delete(self):
        raise PermissionError("the log is append-only")


class IdentityLook(models.Model):
    """Who looked up the author of which feedback form, and when (append-only; HQ reads it
    in the admin site)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback form"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = IdentityLookQuerySet.as_manager()

    class Meta:
        verbose_name = _("look-up of a feedback's author")
        verbose_name_plural = _("look-ups of feedback authors")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.feedback_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the log is append-only")
