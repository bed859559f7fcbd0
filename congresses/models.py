"""职代会 (the enterprise's and each workshop union's workers' congress) and 班组民主会 (a
union group's democratic meeting): the representatives of each term in their delegations
(代表团组), the sessions with attendance and the quorum check, the motions (提案) decided
立案 / 不立案, and the resolutions (决议) each followed to closure as a rectification item.

Who may do what depends on the level of the row: enterprise rows are HQ's (every staff
role reads them), a workshop union's rows are its own (HQ reads them and approves its
congresses), a group's meetings are its leader's (the workshop union and HQ read them).
The actions name the level (`record_enterprise`, `record_workshop`, `record_group`) so that
one policy per model answers for all three; `record_action(level)` picks the one."""

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import HQ_ONLY, RECORDS_READERS, VIEW, Reach, ScopedQuerySet
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.models import SingleRecord

# Actions beyond VIEW ------------------------------------------------------------
RECORD_ENTERPRISE = "record_enterprise"  # HQ: the enterprise's terms and congresses
RECORD_WORKSHOP = "record_workshop"  # a workshop union: its own terms and congresses
RECORD_GROUP = "record_group"  # a group leader: their group's democratic meetings
DECLARE = "declare"  # 申报: a workshop union declares its congress to HQ
APPROVE = "approve"  # HQ approves a declared workshop congress, or returns it

RECORD_POLICY = {
    RECORD_ENTERPRISE: HQ_ONLY,
    RECORD_WORKSHOP: {Role.WORKSHOP: Reach.WORKSHOP},
    RECORD_GROUP: {Role.GROUP_LEADER: Reach.GROUP},
}


class Level(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("congress level", "Enterprise")
    WORKSHOP = "workshop", pgettext_lazy("congress level", "Workshop union")
    GROUP = "group", pgettext_lazy("congress level", "Union group")


TERM_LEVELS = [
    (Level.ENTERPRISE.value, Level.ENTERPRISE.label),
    (Level.WORKSHOP.value, Level.WORKSHOP.label),
]


def record_action(level: str) -> str:
    """The action that records rows of this level (sessions, terms, representatives)."""
    return {
        Level.ENTERPRISE: RECORD_ENTERPRISE,
        Level.WORKSHOP: RECORD_WORKSHOP,
        Level.GROUP: RECORD_GROUP,
    }[level]


class LevelScopedQuerySet(ScopedQuerySet):
    """Rows of a level. Besides their own part of the organisation, every staff role reads
    the enterprise's rows, and a group leader reads their workshop union's congresses
    (their group sends representatives to it). `level_lookup` is the path to the level."""

    level_lookup = "level"
    policy = {VIEW: RECORDS_READERS, **RECORD_POLICY}

    def extra_q(self, user, action):
        if action != VIEW:
            return None
        scope = self.scope(user, VIEW)
        if not scope.beyond_self:
            return None
        q = Q(**{self.level_lookup: Level.ENTERPRISE})
        if scope.group_workshop_ids:
            q |= Q(
                **{
                    self.level_lookup: Level.WORKSHOP,
                    f"{self.workshop_lookup}__in": sorted(scope.group_workshop_ids),
                }
            )
        return q

    def extra_allows(self, user, action, obj):
        # A workshop-level row of the leader's workshop union is already allowed by the
        # scope rule (a row without a group reaches its workshop's group roles).
        return (
            action == VIEW
            and obj.scope_level == Level.ENTERPRISE
            and self.scope(user, VIEW).beyond_self
        )


class CongressSettings(SingleRecord):
    """The union's rules for congresses and meetings (one record HQ edits)."""

    quorum_percent = models.DecimalField(
        _("quorum (per cent of those expected)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "A session is held only when at least this share of those expected is present, "
            "rounded as the attendance rate is shown (66.67 is two thirds). Otherwise it "
            "can only be recorded as failed (流会)."
        ),
    )
    enterprise_sessions_per_year = models.PositiveSmallIntegerField(
        _("enterprise congresses a year"),
        default=2,
        validators=[MaxValueValidator(12)],
    )
    workshop_sessions_per_year = models.PositiveSmallIntegerField(
        _("congresses a year of each workshop union"),
        default=2,
        validators=[MaxValueValidator(12)],
    )
    group_meetings_per_year = models.PositiveSmallIntegerField(
        _("democratic meetings a year of each union group"),
        default=4,
        validators=[MaxValueValidator(52)],
        help_text=_("For a shorter period the target is this share of the year (a quarter: one)."),
    )
    declare_days_ahead = models.PositiveSmallIntegerField(
        _("days ahead a workshop congress is declared"),
        default=0,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "A workshop union declares its congress to HQ at least this many days before "
            "the planned date (0: any day before it)."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("congress rules")
        verbose_name_plural = _("congress rules")

    def __str__(self):
        return str(_("congress rules"))

    def target_for(self, level: str) -> int:
        return {
            Level.ENTERPRISE: self.enterprise_sessions_per_year,
            Level.WORKSHOP: self.workshop_sessions_per_year,
            Level.GROUP: self.group_meetings_per_year,
        }[level]

    def quorum_met(self, *, present: int, expected: int) -> bool:
        return expected > 0 and attendance_rate(present, expected) >= self.quorum_percent


def attendance_rate(present: int, expected: int) -> Decimal | None:
    """到会率 in per cent with two places, as it is shown and compared with the quorum."""
    if not expected:
        return None
    return (Decimal(present) * 100 / Decimal(expected)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# Terms and representatives ------------------------------------------------------------


class TermQuerySet(LevelScopedQuerySet):
    group_lookup = None
    workshop_lookup = "workshop"

    def covering(self, *, level: str, workshop_id, on: date):
        return self.filter(level=level, workshop_id=workshop_id, starts_on__lte=on, ends_on__gte=on)


class Term(models.Model):
    """届: the representatives' term of the enterprise's congress or of a workshop union's."""

    level = models.CharField(
        pgettext_lazy("congress level", "level"), max_length=12, choices=TERM_LEVELS
    )
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="congress_terms",
        help_text=_("Empty for the enterprise's congress."),
    )
    name = models.CharField(
        pgettext_lazy("thing", "name"), max_length=40, help_text=_("e.g. 第十届")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("representatives' term")
        verbose_name_plural = _("representatives' terms")
        ordering = ["level", "workshop__sort_order", "workshop__pk", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="term_dates", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="term_workshop_by_level",
                condition=Q(level="enterprise", workshop__isnull=True)
                | Q(level="workshop", workshop__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.level == Level.ENTERPRISE and self.workshop_id:
            raise ValidationError(
                {"workshop": _("The enterprise's term belongs to no workshop union.")}
            )
        if self.level == Level.WORKSHOP and not self.workshop_id:
            raise ValidationError({"workshop": _("Choose the workshop union.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The term cannot end before it starts.")})

    @property
    def place(self) -> str:
        return self.workshop.name if self.workshop_id else str(_("Enterprise"))

    @property
    def scope_ids(self):
        return self.workshop_id, None

    @property
    def scope_level(self) -> str:
        return self.level

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on


class DelegationQuerySet(LevelScopedQuerySet):
    group_lookup = None
    workshop_lookup = "term__workshop"
    level_lookup = "term__level"


class Delegation(models.Model):
    """代表团组: a delegation of the term's representatives (often one per workshop union at
    the enterprise's congress, one per shift at a workshop union's)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="delegations")
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40)
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The workshop union the delegation comes from, if one."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["term", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="delegation_name_once")
        ]

    def __str__(self):
        return self.name

    @property
    def scope_ids(self):
        return self.term.workshop_id, None

    @property
    def scope_level(self) -> str:
        return self.term.level


class RepresentativeQuerySet(LevelScopedQuerySet):
    group_lookup = None
    workshop_lookup = "term__workshop"
    level_lookup = "term__level"
    member_lookup = "member"
    policy = {VIEW: {**RECORDS_READERS, Role.MEMBER: Reach.SELF}, **RECORD_POLICY}


class Representative(models.Model):
    """职工代表: a member elected for a term, in a delegation."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="representatives")
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="representative_terms",
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
    )
    role = models.CharField(
        pgettext_lazy("representative", "role"),
        max_length=20,
        blank=True,
        help_text=_("e.g. 团长, 副团长, 代表"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["term", "delegation__sort_order", "delegation__pk", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="representative_once")
        ]

    def __str__(self):
        return f"{self.member_id} {self.term_id}"

    @property
    def role_display(self) -> str:
        """The role as shown: the one recorded, or a plain representative (代表)."""
        return self.role or str(pgettext_lazy("representative role", "Representative"))

    @property
    def scope_ids(self):
        return self.term.workshop_id, None

    @property
    def scope_level(self) -> str:
        return self.term.level


# Sessions ------------------------------------------------------------


class SessionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("congress", "Planned")
    DECLARED = "declared", pgettext_lazy("congress", "Declared")
    APPROVED = "approved", pgettext_lazy("congress", "Approved")
    HELD = "held", pgettext_lazy("congress", "Held")
    FAILED = "failed", pgettext_lazy("congress", "Failed (no quorum)")


STATUS_BADGES = {
    SessionStatus.DRAFT: "",
    SessionStatus.DECLARED: "warn",
    SessionStatus.APPROVED: "info",
    SessionStatus.HELD: "ok",
    SessionStatus.FAILED: "danger",
}


class SessionQuerySet(LevelScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "workshop"
    policy = {
        VIEW: RECORDS_READERS,
        **RECORD_POLICY,
        DECLARE: {Role.WORKSHOP: Reach.WORKSHOP},
        APPROVE: HQ_ONLY,
    }

    def held(self):
        return self.filter(status=SessionStatus.HELD)


class Session(models.Model):
    """A sitting: of the enterprise's congress, of a workshop union's congress (declared
    to HQ and approved before it is held), or a union group's democratic meeting."""

    level = models.CharField(
        pgettext_lazy("congress level", "level"), max_length=12, choices=Level.choices
    )
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="congress_sessions",
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="congress_sessions",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=_("term"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=100)
    number = models.CharField(
        _("session no."), max_length=40, blank=True, help_text=_("e.g. 第三次会议")
    )
    planned_on = models.DateField(_("planned for"))
    place = models.CharField(_("place"), max_length=80, blank=True)
    agenda = models.TextField(_("agenda"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_note = models.CharField(_("why it was returned"), max_length=300, blank=True)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    expected_count = models.PositiveIntegerField(_("expected"), default=0)
    present_count = models.PositiveIntegerField(_("present"), default=0)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["level", "status", "planned_on"], name="session_level_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="session_place_by_level",
                condition=Q(level="enterprise", workshop__isnull=True, group__isnull=True)
                | Q(level="workshop", workshop__isnull=False, group__isnull=True)
                | Q(level="group", workshop__isnull=False, group__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("congresses:session_detail", args=[self.pk])

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    @property
    def scope_level(self) -> str:
        return self.level

    @property
    def place_name(self) -> str:
        if self.group_id:
            return f"{self.workshop.name} · {self.group.name}"
        if self.workshop_id:
            return self.workshop.name
        return str(_("Enterprise"))

    @property
    def needs_approval(self) -> bool:
        return self.level == Level.WORKSHOP

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")

    @property
    def attendance_taken(self) -> bool:
        return self.attendance_taken_at is not None

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(self.present_count, self.expected_count)

    @property
    def is_closed(self) -> bool:
        return self.status in (SessionStatus.HELD, SessionStatus.FAILED)


class SessionPartQuerySet(LevelScopedQuerySet):
    """A part of a session (attendance, motion, resolution, photo) goes with its session."""

    group_lookup = "session__group"
    workshop_lookup = "session__workshop"
    level_lookup = "session__level"


class SessionPart(models.Model):
    class Meta:
        abstract = True

    @property
    def scope_ids(self):
        return self.session.workshop_id, self.session.group_id

    @property
    def scope_level(self) -> str:
        return self.session.level


class Attendance(SessionPart):
    """One expected attendee of a session, present or not (the sign-in sheet)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=False)

    objects = SessionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.session_id} {self.member_id} {self.present}"


class MotionSource(models.TextChoices):
    MEMBER = "member", _("A member")
    REPRESENTATIVE = "representative", _("A representative")
    IMPROVEMENT = "improvement", _("A rationalisation suggestion")


class MotionDecision(models.TextChoices):
    PENDING = "", _("Not decided")
    # "Filed" and "Not filed" mean other things in other apps (提出, 未填报): a context.
    FILED = "filed", pgettext_lazy("motion decision", "Filed")
    NOT_FILED = "not_filed", pgettext_lazy("motion decision", "Not filed")


class Motion(SessionPart):
    """提案: a motion put to a session, decided 立案 (filed) or 不立案 with the reason."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="motions")
    source = models.CharField(_("put by"), max_length=16, choices=MotionSource.choices)
    proposer = models.ForeignKey(
        Member, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="+"
    )
    improvement = models.ForeignKey(
        "improvements.Improvement",
        verbose_name=pgettext_lazy("rationalisation", "suggestion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"), max_length=5000)
    decision = models.CharField(
        _("decision"), max_length=10, choices=MotionDecision.choices, blank=True, default=""
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SessionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["session", "pk"]
        constraints = [
            # A suggestion goes to one motion (motion_add locks it and checks first).
            models.UniqueConstraint(
                fields=["improvement"],
                condition=Q(improvement__isnull=False),
                name="motion_improvement_once",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def decision_badge(self) -> str:
        return {MotionDecision.FILED: "ok", MotionDecision.NOT_FILED: "danger"}.get(
            self.decision, "warn"
        )


class Resolution(SessionPart):
    """决议: what a held session resolved, with the department answerable and the deadline;
    it is followed to closure as a rectification item (落实情况)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="resolutions")
    text = models.TextField(_("resolution"), max_length=3000)
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union carrying it out"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_department = models.CharField(_("responsible department"), max_length=80)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by (login)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    motion = models.ForeignKey(
        Motion,
        verbose_name=_("from motion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolutions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SessionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["session", "pk"]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        from django.urls import reverse

        return (
            reverse("congresses:session_detail", args=[self.session_id]) + f"#resolution-{self.pk}"
        )


def photo_path(instance, filename):
    return f"congresses/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class SessionPhoto(SessionPart):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(upload_to=photo_path, max_length=200, blank=True)
    mime = models.CharField(max_length=60)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = SessionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")
        ordering = ["session", "pk"]

    def __str__(self):
        return f"{self.session_id} {self.pk}"
