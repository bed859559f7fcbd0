"""学习与竞赛: competitions (技术比武, 劳动竞赛, 安康杯 …) with each member's result and
award, and each member's learning records (每周一课 attendance, books read with notes,
training hours, certificates gained: the seed's 两本书 and 多证加薪).

The kinds of competition, the award levels, the kinds of learning and the yearly reading
target are data HQ keeps in the admin site; what a kind of learning counts as (lesson
hours, a book, training hours, a certificate) is the fixed mechanism each kind names."""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import (
    CHANGE,
    OWN_PART,
    RECORDS_READERS,
    VIEW,
    Reach,
    Scope,
    ScopedQuerySet,
)
from activities.models import Activity
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.models import SingleRecord
from unionhome.validators import validate_not_in_future

# A member with a login adds their own book notes (读书笔记).
NOTE = "note"
HOURS = {
    "max_digits": 6,
    "decimal_places": 1,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999"))],
}


class LearningSettings(SingleRecord):
    """One record, edited by HQ in the admin site: the yearly targets of learning."""

    books_per_year = models.PositiveSmallIntegerField(
        _("books per member per year"),
        default=2,
        validators=[MaxValueValidator(100)],
        help_text=_("The reading target (e.g. two books a year); 0 for none."),
    )
    lesson_hours = models.DecimalField(
        _("hours of a weekly lesson"),
        default=Decimal("1.0"),
        help_text=_("Offered when a group leader records a weekly lesson."),
        **HOURS,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learning targets")
        verbose_name_plural = _("learning targets")

    def __str__(self):
        return str(_("learning targets"))


class CompetitionKind(models.Model):
    """A kind of competition (技术比武, 劳动竞赛, 安康杯, 百日安全竞赛 …): data HQ keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of competition")
        verbose_name_plural = _("kinds of competition")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class AwardLevel(models.Model):
    """An award of a competition (一等奖, 二等奖, 三等奖, 优秀奖 …), in order, with the
    points it is worth where a scoring rule weighs awards: data HQ keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    points = models.DecimalField(
        pgettext_lazy("award", "points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the award is worth in the figure “competition award points”."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("competition", "award level")
        verbose_name_plural = pgettext_lazy("competition", "award levels")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class Mechanism(models.TextChoices):
    """What a record of a kind of learning counts as in the figures."""

    LESSON = "lesson", _("Weekly lesson (hours)")
    BOOK = "book", _("Book read (with notes)")
    TRAINING = "training", _("Training (hours)")
    CERTIFICATE = "certificate", _("Certificate gained")


# The mechanisms whose records carry hours.
WITH_HOURS = (Mechanism.LESSON, Mechanism.TRAINING)


class LearningKind(models.Model):
    """A kind of learning record (每周一课, 读书, 岗位培训, 技能证书, 职称证书 …) and what it
    counts as: data HQ keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    mechanism = models.CharField(_("counts as"), max_length=12, choices=Mechanism.choices)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of learning")
        verbose_name_plural = _("kinds of learning")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    """Who organises a competition."""

    GROUP = "group", pgettext_lazy("organiser", "Union group")
    WORKSHOP = "workshop", pgettext_lazy("organiser", "Workshop union")
    HQ = "hq", pgettext_lazy("organiser", "Company union")


class CompetitionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("competition", "Under way")
    FINISHED = "finished", pgettext_lazy("competition", "Finished")


class CompetitionQuerySet(ScopedQuerySet):
    """A competition belongs to its organiser: a group's to that group, a workshop union's
    to that workshop union, the company union's to nobody below it. Its organiser's part
    records it and its results (OWN_PART by `workshop` and `group`). It is read by its own
    part and, beyond that, by the groups it is held for: a workshop union's competition by
    the leaders of its groups, the company union's by every staff role."""

    group_lookup = "group"
    workshop_lookup = "workshop"
    policy = {VIEW: RECORDS_READERS, CHANGE: OWN_PART}

    def _wider_q(self, scope: Scope) -> Q:
        q = Q(pk__in=[])
        if scope.beyond_self:
            q |= Q(level=Level.HQ)
        if scope.group_workshop_ids:
            q |= Q(level=Level.WORKSHOP, workshop__in=sorted(scope.group_workshop_ids))
        return q

    def scope_q(self, user, action=VIEW):
        q = super().scope_q(user, action)
        if action != VIEW or q is None:
            return q
        return q | self._wider_q(self.scope(user, action))

    def scope_allows(self, user, scope, obj):
        # A group's role reaches its own group's competitions, not its workshop union's
        # (the base rule gives a group's role the rows of its workshop union that have no
        # group, for the workshop union itself); those it reads by `_wider_q`.
        if obj.group_id is None and not scope.everything:
            return obj.workshop_id is not None and obj.workshop_id in scope.workshop_ids
        return super().scope_allows(user, scope, obj)

    def allows(self, user, action, obj):
        if super().allows(user, action, obj):
            return True
        if action != VIEW:
            return False
        scope = self.scope(user, action)
        if obj.level == Level.HQ:
            return scope.beyond_self
        return obj.level == Level.WORKSHOP and obj.workshop_id in scope.group_workshop_ids


class Competition(models.Model):
    """A 技术比武 / 劳动竞赛 / 安康杯 …, organised by a group, a workshop union or the
    company union, with a result per member who took part."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.ForeignKey(
        CompetitionKind,
        verbose_name=_("kind of competition"),
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    level = models.CharField(
        pgettext_lazy("competition", "organised by"), max_length=10, choices=Level.choices
    )
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
    starts_on = models.DateField(pgettext_lazy("competition", "from"))
    ends_on = models.DateField(pgettext_lazy("competition", "to"))
    description = models.TextField(pgettext_lazy("competition", "description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CompetitionStatus.choices,
        default=CompetitionStatus.OPEN,
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The activity record of the day, where one was recorded."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="competition_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The competition cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="competition_place_matches_level",
                condition=Q(level="hq", workshop__isnull=True, group__isnull=True)
                | Q(level="workshop", workshop__isnull=False, group__isnull=True)
                | Q(level="group", workshop__isnull=False, group__isnull=False),
                violation_error_message=_(
                    "A group's competition names its group and workshop union, a workshop "
                    "union's its workshop union, the company union's neither."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("learning:competition_detail", args=[self.pk])

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    @property
    def organiser(self) -> str:
        if self.group_id:
            return f"{self.workshop.name} · {self.group.name}"
        if self.workshop_id:
            return self.workshop.name
        return str(Level.HQ.label)

    @property
    def is_open(self) -> bool:
        return self.status == CompetitionStatus.OPEN

    def clean(self):
        if self.group_id and not self.workshop_id:
            self.workshop_id = self.group.workshop_id
        if self.group_id and self.group.workshop_id != self.workshop_id:
            raise ValidationError({"group": _("The group is not of this workshop union.")})


class MemberRecordQuerySet(ScopedQuerySet):
    """A member's results and learning records belong to the group the member was in when
    recorded. Read by that group's part of the organisation, the evaluators and its panel,
    and by the member themselves."""

    group_lookup = "group"
    workshop_lookup = "group__workshop"
    member_lookup = "member"
    policy = {
        VIEW: {**RECORDS_READERS, Role.MEMBER: Reach.SELF},
        CHANGE: OWN_PART,
        NOTE: {**OWN_PART, Role.MEMBER: Reach.SELF},
    }


class CompetitionResultQuerySet(MemberRecordQuerySet):
    """Results are published with their competition: like a 技术比武's list of winners
    posted on the notice board (张榜公布), every result of a competition is shown to whoever
    reads the competition (`published`), on the competition's page. The member-record rule
    above (`restrict`) is for reading results member by member, across competitions: a
    member's page, their figures, the other apps' member facts."""

    def published(self, user):
        return self.filter(competition__in=Competition.objects.restrict(user, VIEW).values("pk"))


class CompetitionResult(models.Model):
    """One member's result in a competition: score, rank, award."""

    competition = models.ForeignKey(
        Competition,
        verbose_name=_("competition"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        pgettext_lazy("competition", "score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(
        _("rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    award = models.ForeignKey(
        AwardLevel,
        verbose_name=pgettext_lazy("competition", "award"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = CompetitionResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition result")
        verbose_name_plural = _("competition results")
        ordering = ["competition", F("rank").asc(nulls_last=True), "member__employee_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "member"],
                name="competition_result_one_per_member",
                violation_error_message=_("The member already has a result in it."),
            )
        ]
        indexes = [models.Index(fields=["group", "member"], name="result_group_member")]

    def __str__(self):
        return f"{self.competition} · {self.member.name}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id


class LessonQuerySet(ScopedQuerySet):
    policy = {VIEW: RECORDS_READERS, CHANGE: OWN_PART}


class Lesson(models.Model):
    """每周一课: one lesson a group held, with the members present (each present member
    gets a learning record of it)."""

    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"), validators=[validate_not_in_future])
    topic = models.CharField(_("topic"), max_length=100)
    teacher = models.CharField(_("given by"), max_length=50, blank=True)
    hours = models.DecimalField(_("hours"), **HOURS)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly lesson")
        verbose_name_plural = _("weekly lessons")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "held_on", "topic"],
                name="lesson_one_per_group_day_topic",
                violation_error_message=_("The group already has this lesson on this day."),
            )
        ]

    def __str__(self):
        return f"{self.held_on} {self.topic}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id


def certificate_path(instance, filename):
    return (
        f"learning/certificates/{date.today():%Y/%m}/{uuid.uuid4().hex}"
        f"{PurePath(filename).suffix.lower()}"
    )


class LearningRecord(models.Model):
    """One piece of a member's learning: a weekly lesson attended, a book read (with the
    member's notes), a training course with its hours, a certificate gained (with its
    number, issuer and a scan)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        LearningKind,
        verbose_name=_("kind of learning"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    on = models.DateField(_("date"), validators=[validate_not_in_future])
    title = models.CharField(
        _("title"),
        max_length=100,
        help_text=_("The lesson's topic, the book's title, the course or the certificate."),
    )
    hours = models.DecimalField(_("hours"), null=True, blank=True, **HOURS)
    notes = models.TextField(_("notes"), blank=True)
    certificate_no = models.CharField(_("certificate no."), max_length=60, blank=True)
    issuer = models.CharField(pgettext_lazy("certificate", "issued by"), max_length=100, blank=True)
    file = models.FileField(_("scan"), upload_to=certificate_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_mime = models.CharField(max_length=120, blank=True)
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("weekly lesson"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="records",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = MemberRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["group", "on"], name="learning_group_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "member"],
                condition=Q(lesson__isnull=False),
                name="learning_one_per_lesson_member",
            )
        ]

    def __str__(self):
        return f"{self.member.name} · {self.title}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_image(self) -> bool:
        return self.file_mime.startswith("image/")
