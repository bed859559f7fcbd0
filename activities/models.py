import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import CHANGE, OWN_PART, RECORDS_READERS, VIEW, Reach, ScopedQuerySet
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.dates import day_label, month_label
from unionhome.validators import validate_not_in_future

# Evaluators check the groups' records (台账) when they assess them, panel members when
# they inspect them.
RECORDS_VIEW = RECORDS_READERS
# A member with a login reads their own group's activities, their calendar and photos.
ACTIVITY_VIEW = {**RECORDS_VIEW, Role.MEMBER: Reach.GROUP}
REVIEW = "review"
# Find a deleted activity and put it back.
RESTORE = "restore"


class ContentArea(models.Model):
    """One of the content areas every activity is filed under (政治学习, 岗位成才, …).

    Data, kept by HQ in the admin site. A retired area keeps its past records but takes
    no new ones.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Untick to retire the area; its records stay.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class ActivityKind(models.Model):
    """A kind of record used as a tag: 小组会议, 职代会/民主管理, 合理化建议, QC 活动 …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    counts_as_democratic = models.BooleanField(
        _("democratic management"),
        default=False,
        help_text=_("Counts towards group meetings and democratic-management records."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("record kind")
        verbose_name_plural = _("record kinds")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class ActivityLevel(models.TextChoices):
    """Who holds an activity: one union group, a workshop union for several of its groups
    (小组长会议, 技术比武), or HQ for the whole organisation (安康杯, a reading campaign)."""

    GROUP = "group", _("Union group")
    WORKSHOP = "workshop", _("Workshop union")
    HQ = "hq", _("Whole organisation")


ABOVE_GROUP = (ActivityLevel.WORKSHOP, ActivityLevel.HQ)


class ActivityQuerySet(ScopedQuerySet):
    """A group's activity belongs to its group. An activity above the group belongs to its
    host (the workshop union, or HQ), who alone changes it; it is read by those who reach
    the host or any group that took part (ActivityGroup)."""

    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {VIEW: ACTIVITY_VIEW, CHANGE: OWN_PART, RESTORE: OWN_PART}

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def scope_q(self, user, action=VIEW):
        q = super().scope_q(user, action)
        if q is None:
            return None
        scope = self.scope(user, action)
        workshops = sorted(scope.workshop_ids)
        if workshops:
            # The workshop union hosts it.
            q |= Q(level=ActivityLevel.WORKSHOP, host_workshop__in=workshops)
        if action == VIEW and (workshops or scope.group_ids):
            # Reading follows the groups that took part; changing stays with the host.
            taking_part = Q(group__in=sorted(scope.group_ids))
            if workshops:
                taking_part |= Q(group__workshop__in=workshops)
            q |= Q(
                level__in=ABOVE_GROUP,
                pk__in=ActivityGroup.objects.filter(taking_part).values("activity_id"),
            )
        return q

    def scope_allows(self, user, scope, obj) -> bool:
        if getattr(obj, "level", ActivityLevel.GROUP) == ActivityLevel.GROUP:
            return super().scope_allows(user, scope, obj)
        if scope.everything:
            return True
        if obj.level == ActivityLevel.WORKSHOP and obj.host_workshop_id in scope.workshop_ids:
            return True
        if obj.pk is None:
            return False
        # Read by the groups that took part (and their workshop unions): one query.
        links = ActivityGroup.objects.filter(activity_id=obj.pk)
        return links.filter(
            Q(group__in=sorted(scope.group_ids)) | Q(group__workshop__in=sorted(scope.workshop_ids))
        ).exists()

    def allows(self, user, action, obj) -> bool:
        if getattr(obj, "level", ActivityLevel.GROUP) != ActivityLevel.GROUP and action != VIEW:
            # Only the host changes, deletes and restores an activity above the group.
            scope = self.scope(user, action)
            return scope.everything or (
                obj.level == ActivityLevel.WORKSHOP and obj.host_workshop_id in scope.workshop_ids
            )
        return super().allows(user, action, obj)

    def restrict(self, user, action=VIEW):
        # A deleted activity is out of every list and page but the list of the deleted
        # ones, for those who may put them back; it stays for the audit trail.
        restricted = super().restrict(user, action)
        if action == RESTORE:
            return restricted.filter(deleted_at__isnull=False)
        return restricted.alive()

    def of_groups(self, group_ids):
        """The activities counted for the groups: their own, and those above the group
        one of their members took part in (each once)."""
        group_ids = sorted(group_ids)
        return self.filter(
            Q(level=ActivityLevel.GROUP, group_id__in=group_ids)
            | Q(
                level__in=ABOVE_GROUP,
                pk__in=ActivityGroup.objects.filter(group_id__in=group_ids).values("activity_id"),
            )
        )

    def of_workshops(self, workshop_ids):
        """The activities of the workshop unions' groups, those they host, and those above
        the group their groups took part in."""
        workshop_ids = sorted(workshop_ids)
        return self.filter(
            Q(group__workshop__in=workshop_ids)
            | Q(level=ActivityLevel.WORKSHOP, host_workshop__in=workshop_ids)
            | Q(
                level__in=ABOVE_GROUP,
                pk__in=ActivityGroup.objects.filter(group__workshop__in=workshop_ids).values(
                    "activity_id"
                ),
            )
        )

    def in_period(self, start: date, end: date):
        return self.filter(held_on__gte=start, held_on__lte=end)


class Activity(models.Model):
    """An activity filed under one content area: a union group's own, or one held above
    the group (by a workshop union or HQ) with participants from many groups. The groups
    that took part are kept in ActivityGroup; the counting rule is in the README."""

    level = models.CharField(
        _("held by"),
        max_length=10,
        choices=ActivityLevel.choices,
        default=ActivityLevel.GROUP,
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
    )
    host_workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("host workshop union"),
        on_delete=models.PROTECT,
        related_name="hosted_activities",
        null=True,
        blank=True,
    )
    area = models.ForeignKey(
        ContentArea,
        verbose_name=_("content area"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kinds = models.ManyToManyField(
        ActivityKind, verbose_name=_("record kinds"), blank=True, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("date"), validators=[validate_not_in_future])
    ends_on = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_not_in_future]
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    organiser = models.CharField(_("organiser"), max_length=50, blank=True)
    participants = models.ManyToManyField(
        Member,
        verbose_name=_("participants"),
        blank=True,
        related_name="activities",
        through="Participation",
    )
    guests_count = models.PositiveIntegerField(
        _("guests"),
        default=0,
        validators=[MaxValueValidator(10000)],
        help_text=_("People taking part who are not members."),
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delete_reason = models.CharField(_("reason for deleting"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["group", "held_on"], name="activity_group_date"),
            models.Index(fields=["held_on"], name="activity_date"),
        ]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("held_on")),
                violation_error_message=_("The end date cannot come before the date."),
            ),
            # A group's activity names its group; a workshop union's its host; HQ's neither.
            models.CheckConstraint(
                name="activity_level_place",
                condition=Q(
                    level=ActivityLevel.GROUP, group__isnull=False, host_workshop__isnull=True
                )
                | Q(level=ActivityLevel.WORKSHOP, group__isnull=True, host_workshop__isnull=False)
                | Q(level=ActivityLevel.HQ, group__isnull=True, host_workshop__isnull=True),
                violation_error_message=_(
                    "A group's activity names its group, a workshop union's its workshop union."
                ),
            ),
        ]

    def __str__(self):
        return f"{day_label(self.held_on)} {self.title}"

    def clean(self):
        if self.held_on and self.ends_on and self.ends_on < self.held_on:
            raise ValidationError({"ends_on": _("The end date cannot come before the date.")})

    @property
    def scope_ids(self):
        if self.level == ActivityLevel.WORKSHOP:
            return self.host_workshop_id, None
        if self.level == ActivityLevel.HQ:
            return None, None
        return self.group.workshop_id, self.group_id

    @property
    def is_above_group(self) -> bool:
        return self.level != ActivityLevel.GROUP

    @property
    def host_label(self) -> str:
        """Who held it, for a list or a calendar: the group, the workshop union or HQ."""
        if self.level == ActivityLevel.WORKSHOP:
            return self.host_workshop.name
        if self.level == ActivityLevel.HQ:
            return str(ActivityLevel.HQ.label)
        return self.group.name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Participation(models.Model):
    """A member who took part in an activity (members of other groups may join too)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    # For an activity above the group: the member's group on the day it was held, the one
    # the participation (and the activity, ActivityGroup) counts for even after a move.
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="participation_once"),
        ]
        indexes = [models.Index(fields=["member", "activity"], name="participation_member")]

    def __str__(self):
        return f"{self.member_id} @ {self.activity_id}"


class ActivityGroup(models.Model):
    """A union group that took part in an activity above the group: the groups its
    participants were in on the day (Participation.group). Kept by the services; the
    figures count such an activity once in each of these groups. A group's own activity
    has no rows here: it counts in its own group."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="group_links")
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("group taking part")
        verbose_name_plural = _("groups taking part")
        constraints = [
            models.UniqueConstraint(fields=["activity", "group"], name="activity_group_once"),
        ]
        indexes = [models.Index(fields=["group", "activity"], name="activity_group_group")]

    def __str__(self):
        return f"{self.group_id} @ {self.activity_id}"


def attachment_path(instance, filename):
    # The stored name is ours; the user's name is kept in `original_name`.
    return f"activities/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


def thumbnail_path(instance, filename):
    return f"activities/thumbs/{date.today():%Y/%m}/{uuid.uuid4().hex}.jpg"


class AttachmentQuerySet(ScopedQuerySet):
    group_lookup = "activity__group"
    workshop_lookup = "activity__group__workshop"
    policy = {VIEW: ACTIVITY_VIEW, CHANGE: OWN_PART}

    def restrict(self, user, action=VIEW):
        # Files of a live activity, read by whoever reads the activity (an activity above
        # the group by its host and the groups that took part); a pending upload (its
        # form not saved yet) belongs to the one who uploaded it alone.
        saved = self.filter(activity__isnull=False, activity__deleted_at__isnull=True)
        activities = Activity.objects.all()
        if activities.scope_q(user, action) is None:
            in_reach = saved
        else:
            in_reach = saved.filter(activity__in=activities.restrict(user, action).values("pk"))
        if action != VIEW or not user.is_authenticated:
            return in_reach
        return in_reach | self.filter(activity__isnull=True, uploaded_by=user)


class Attachment(models.Model):
    """A photo or document of an activity. Until the activity is saved it is pending:
    kept for the user who uploaded it, so that a form with a mistake loses no file."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(upload_to=thumbnail_path, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=10)  # image | document
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class MonthlyReportQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    # The group fills in its report; the workshop union of the group (or HQ) reviews it.
    policy = {
        VIEW: RECORDS_VIEW,
        CHANGE: OWN_PART,
        REVIEW: {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP},
    }


class MonthlyReport(models.Model):
    """月报: one per group per month, compiled from the month's records plus the leader's text.

    While a draft (or returned) its figures are compiled live; submitting freezes them in
    `figures`. `version` grows with every change so two people cannot both win.
    """

    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("summary of the month"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_plan = models.TextField(_("plan for next month"), blank=True)
    figures = models.JSONField(_("figures"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "figures"])
    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "group"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="report_one_per_group_month"),
            models.CheckConstraint(name="report_month_is_first_day", condition=Q(month__day=1)),
        ]
        indexes = [
            models.Index(fields=["month", "status"], name="report_month_status"),
            # the reports waiting for review, oldest month first (every reviewer's to-do)
            models.Index(fields=["status", "month"], name="report_status_month"),
        ]

    def __str__(self):
        return f"{self.group} {month_label(self.month)}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportEvent(models.Model):
    """One step of a monthly report's workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved the draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.by_id}"


def report_file_path(instance, filename):
    return f"reports/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


def report_thumbnail_path(instance, filename):
    return f"reports/thumbs/{date.today():%Y/%m}/{uuid.uuid4().hex}.jpg"


class ReportFileKind(models.TextChoices):
    SIGNIN = "signin", _("Sign-in sheet")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", pgettext_lazy("report file", "Other")


class ReportAttachmentQuerySet(ScopedQuerySet):
    """A report's files are read by whoever reads the report (its reviewer included) and
    added or removed by the group while the report is editable."""

    group_lookup = "report__group"
    workshop_lookup = "report__group__workshop"
    policy = {VIEW: RECORDS_VIEW, CHANGE: OWN_PART}


class ReportAttachment(models.Model):
    """A file on a monthly report: a photo of the sign-in sheet (签到表), the minutes
    (会议记录) or another paper. Served through a scoped view, never a public URL."""

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("monthly report"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    kind = models.CharField(
        _("kind of paper"),
        max_length=10,
        choices=ReportFileKind.choices,
        default=ReportFileKind.SIGNIN,
    )
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200)
    thumbnail = models.FileField(upload_to=report_thumbnail_path, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(max_length=10)  # image | document
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ReportAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def scope_ids(self):
        return self.report.group.workshop_id, self.report.group_id

    @property
    def is_image(self) -> bool:
        return self.file_type == "image"


class SummaryYear(models.Model):
    """The state of one year's summary figures (SummaryFigure): the last day they count,
    when they were computed, and when a counted record last changed. They are stale when
    a change came after they were computed, or when the day has moved on; the background
    worker then computes them again (dashboard/summaries.py)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    through = models.DateField(_("counted through"))
    computed_at = models.DateTimeField(_("computed at"))
    changed_at = models.DateTimeField(_("last change at"), null=True, blank=True)
    # Set when a refresh is waiting in the queue, so a burst of changes queues one.
    queued = models.BooleanField(_("refresh queued"), default=False)

    class Meta:
        verbose_name = _("summary year")
        verbose_name_plural = _("summary years")

    def __str__(self):
        return str(self.year)

    @property
    def is_stale(self) -> bool:
        return self.changed_at is not None and self.changed_at > self.computed_at


class SummaryFigure(models.Model):
    """One number of the organisation's year, as the dashboard shows it: activities per
    content area, per month and per workshop union, and the members who took part per
    workshop union. Read instead of a year of activity and participation rows."""

    class Figure(models.TextChoices):
        TOTAL = "total", _("activities in all")
        AREA = "area", _("activities per content area")
        MONTH = "month", _("activities per month")
        ACTIVITIES = "activities", _("activities per workshop union")
        PARTICIPANTS = "participants", _("members who took part per workshop union")

    year = models.ForeignKey(
        SummaryYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="figures"
    )
    figure = models.CharField(_("figure"), max_length=12, choices=Figure.choices)
    # The content area's or workshop union's id, or the month's number; 0 for none.
    key = models.PositiveIntegerField(_("key"), default=0)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("summary figure")
        verbose_name_plural = _("summary figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "figure", "key"], name="summary_figure_once")
        ]

    def __str__(self):
        return f"{self.year_id} {self.figure} {self.key}: {self.count}"


class SummaryGroup(models.Model):
    """One union group's year, as the participation page lists it for the whole
    organisation (compile_figures: activities, members on the last day counted, those of
    them who took part, and the rate), so that it sorts and pages in SQL."""

    year = models.ForeignKey(
        SummaryYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="groups"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.CASCADE, related_name="+"
    )
    activities = models.PositiveIntegerField(_("activities"))
    members = models.PositiveIntegerField(_("members"))
    took_part = models.PositiveIntegerField(_("took part"))
    rate = models.DecimalField(
        _("participation rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("summary of a group")
        verbose_name_plural = _("summaries of groups")
        constraints = [models.UniqueConstraint(fields=["year", "group"], name="summary_group_once")]
        indexes = [models.Index(fields=["year", "rate"], name="summary_group_rate")]

    def __str__(self):
        return f"{self.year_id} {self.group_id}"
