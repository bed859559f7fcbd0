"""Assessment of the 职工小家: criteria and indicators, periods, manual scores, the
民主测评 survey and the computed results. Only a 小家 that passed its acceptance gets a
level; the others stand in the ranking with their stage (groups.HomeStage)."""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import CHANGE, HQ_ONLY, RECORDS_READERS, VIEW, Reach, ScopedQuerySet
from groups.models import HomeStage, UnionGroup, WorkshopUnion

POINTS = {"max_digits": 7, "decimal_places": 2}

# The assessment's actions beyond seeing and changing.
SEE_DRAFTS = "see_drafts"  # results computed but not yet published
EVALUATE = "evaluate"  # enter manual scores
RUN = "run"  # compute, publish, move the period's steps, record vetoes, name groups
ISSUE_BALLOTS = "issue_ballots"  # the 民主测评 ballots of a group


class Subject(models.TextChoices):
    """Who a rubric and its periods assess."""

    GROUPS = "groups", _("Union groups (职工小家)")
    WORKSHOPS = "workshops", _("Workshop unions (车间工会)")


class RubricStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, being edited")
    FROZEN = "frozen", _("Frozen, in use")


class RubricVersionQuerySet(models.QuerySet):
    def for_year(self, year: int, subject: str = "groups"):
        """The rubric of a year for what it assesses: its own version, else the latest
        before it (a year HQ has not prepared a rubric for keeps the last one); a year
        before every version takes the first one. None when there is no rubric at all."""
        own = self.filter(subject=subject)
        return own.filter(year__lte=year).order_by("-year").first() or own.order_by("year").first()


class RubricVersion(models.Model):
    """考核细则 of one year: its criteria, indicators, gates, bonus and deduction items,
    survey questions and level thresholds. HQ copies last year's into the next, edits the
    copy and freezes it; a frozen version is never edited again, so a period, declaration
    or result that names it always reads the same rules."""

    year = models.PositiveIntegerField(_("year"))
    subject = models.CharField(
        _("assesses"), max_length=10, choices=Subject.choices, default=Subject.GROUPS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RubricStatus.choices, default=RubricStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    qualified_at = models.DecimalField(
        _("qualified from (points)"), **POINTS, default=Decimal("75")
    )
    advanced_at = models.DecimalField(_("advanced from (points)"), **POINTS, default=Decimal("85"))
    model_at = models.DecimalField(_("model from (points)"), **POINTS, default=Decimal("90"))
    survey_min_turnout = models.DecimalField(
        _("the survey counts from a turnout of (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Ballots used ÷ ballots issued. Below it a group's survey does not count: its "
            "survey lines are scored as having no data, and the scorecard says why."
        ),
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = RubricVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")
        ordering = ["subject", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "subject"], name="rubric_once_a_year"),
            models.CheckConstraint(
                name="rubric_thresholds_in_order",
                condition=Q(qualified_at__lte=models.F("advanced_at"))
                & Q(advanced_at__lte=models.F("model_at")),
                violation_error_message=_("The thresholds go up: qualified ≤ advanced ≤ model."),
            ),
        ]

    def __str__(self):
        if self.subject == Subject.WORKSHOPS:
            return _("%(year)s rubric for workshop unions") % {"year": self.year}
        return _("%(year)s rubric") % {"year": self.year}

    @property
    def is_frozen(self) -> bool:
        return self.status == RubricStatus.FROZEN

    def level_for(self, total: Decimal, vetoed: bool = False) -> str:
        if vetoed:
            return Level.FAILED
        if total >= self.model_at:
            return Level.MODEL
        if total >= self.advanced_at:
            return Level.ADVANCED
        if total >= self.qualified_at:
            return Level.QUALIFIED
        return Level.FAILED


class FrozenRubricGuard:
    """For the parts of a rubric version: a frozen version's parts are not edited. A part
    reaches its version through `version`, or through its criterion's."""

    def rubric(self) -> RubricVersion | None:
        if getattr(self, "version_id", None):
            return self.version
        if getattr(self, "criterion_id", None):
            return self.criterion.version
        return None

    def clean(self):
        super().clean()
        rubric = self.rubric()
        if rubric is not None and rubric.is_frozen:
            raise ValidationError(
                _("%(rubric)s is frozen and in use; copy it into a new year to change it.")
                % {"rubric": rubric}
            )


class Criterion(FrozenRubricGuard, models.Model):
    """One of the assessment conditions (领导有方，骨干得力 …) with its weight in points,
    in one year's rubric."""

    version = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="criteria",
        limit_choices_to={"status": RubricStatus.DRAFT},
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight (points)"), **POINTS, validators=[MinValueValidator(Decimal("0"))]
    )
    bonus_cap = models.DecimalField(
        _("bonus points at most (whole criterion)"),
        **POINTS,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What all bonus items of this criterion may add together. 0: no bonus."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="criterion_code_per_rubric"),
        ]

    def __str__(self):
        return self.name


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    MANUAL = "manual", _("Entered by evaluators")


class Rule(models.TextChoices):
    LINEAR = "linear", _("Linear up to the target")
    LINEAR_DOWN = "linear_down", _("Lower is better: full at the target, none at the limit")
    STEPS = "steps", pgettext_lazy("scoring rule", "Steps")


class WhenMissing(models.TextChoices):
    ZERO = "zero", _("No points")
    FULL = "full", _("Full points")


class Indicator(FrozenRubricGuard, models.Model):
    """How one part of a criterion is measured and turned into points.

    Its points are the criterion's weight × its share of the criterion's active shares ×
    the fraction its rule gives the value (0 to 1)."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    metric = models.CharField(
        _("figure from the records"),
        max_length=60,
        blank=True,
        help_text=_("For a computed indicator: which figure it uses."),
    )
    definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_(
            "Plain language, shown wherever the value is shown. Empty: the figure's own definition."
        ),
    )
    guidance = models.TextField(
        _("guidance for evaluators"),
        blank=True,
        help_text=_(
            "What an evaluator looks at and asks about before scoring, shown beside the score."
        ),
    )
    share = models.DecimalField(
        _("share within the criterion"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices, default=Rule.LINEAR)
    target = models.DecimalField(
        _("full points from (value)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Linear: the value that earns full points. Lower "
            "is better: the value at or below which points "
            "are full."
        ),
    )
    limit = models.DecimalField(
        _("no points from (value)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Lower is better: the value at or above which no points are given."),
    )
    # [[at least this value, share of the points 0–1], …]; the admin form edits it as rows.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    when_missing = models.CharField(
        _("when there is no data"),
        max_length=5,
        choices=WhenMissing.choices,
        default=WhenMissing.ZERO,
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["criterion__sort_order", "sort_order", "pk"]

    def __str__(self):
        return f"{self.criterion.name} · {self.name}"

    def clean(self):
        super().clean()
        if self.criterion_id and self.code:
            taken = Indicator.objects.filter(
                criterion__version=self.criterion.version_id, code=self.code
            ).exclude(pk=self.pk)
            if taken.exists():
                raise ValidationError(
                    {"code": _("Another indicator of this rubric has this code.")}
                )


class MeasureKind(models.TextChoices):
    COUNT = "count", _("How many records")
    SHARE = "share", _("Share of the group's members who took part")
    DAYS = "days", _("Days between two dates of a record (the middle value)")


class MeasurePer(models.TextChoices):
    TOTAL = "total", _("in all")
    PER_MONTH = "per_month", _("per month of the period")
    PER_MEMBER = "per_member", _("per member in the union")


MEASURE_PREFIX = "measure."


class Measure(models.Model):
    """A figure HQ composes from the records an app offers (unionhome.metrics.RecordSource)
    without programming: how many activities of a content area per member, the share of
    members who took part, days from the month's end to the report … Indicators and gates
    use it as `measure.<code>`. A measure used by a frozen rubric is not changed."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=80)
    kind = models.CharField(_("what is measured"), max_length=10, choices=MeasureKind.choices)
    source = models.CharField(_("records"), max_length=60)
    option = models.CharField(
        _("only these records"), max_length=60, blank=True, help_text=_("Empty: all of them.")
    )
    per = models.CharField(
        _("counted"), max_length=12, choices=MeasurePer.choices, default=MeasurePer.TOTAL
    )
    span = models.CharField(_("between the dates"), max_length=40, blank=True)
    definition = models.TextField(
        _("definition"), blank=True, help_text=_("Empty: written from the choices above.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("composed measure")
        verbose_name_plural = _("composed measures")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def metric_name(self) -> str:
        return f"{MEASURE_PREFIX}{self.code}"

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        old = Measure.objects.get(pk=self.pk)
        in_use = (
            Indicator.objects.filter(
                metric=old.metric_name, criterion__version__status=RubricStatus.FROZEN
            ).exists()
            or Gate.objects.filter(
                metric=old.metric_name, version__status=RubricStatus.FROZEN
            ).exists()
        )
        if in_use:
            raise ValidationError(
                _(
                    "A frozen rubric uses this measure, so it is not changed; compose a new "
                    "measure for next year's rubric."
                )
            )


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SCORING = "scoring", _("Scoring")
    PUBLISHED = "published", _("Published")


class Level(models.TextChoices):
    FAILED = "failed", _("Not qualified")
    QUALIFIED = "qualified", _("Qualified")
    ADVANCED = "advanced", _("Advanced")
    MODEL = "model", _("Model")


LEVEL_ORDER = [Level.FAILED, Level.QUALIFIED, Level.ADVANCED, Level.MODEL]


class Gate(FrozenRubricGuard, models.Model):
    """必达条件: a figure a group must reach to hold a level (职工满意率 at least 85 % for
    模范). A group that misses it is held to the level below, and its scorecard says why.
    A gate without data counts as missed unless HQ marks it 不适用 for the group."""

    version = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="gates",
        limit_choices_to={"status": RubricStatus.DRAFT},
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=80)
    level = models.CharField(
        _("needed for"),
        max_length=10,
        choices=[(level, label) for level, label in Level.choices if level != Level.FAILED],
    )
    metric = models.CharField(_("figure from the records"), max_length=60)
    at_least = models.DecimalField(
        _("at least"),
        max_digits=10,
        decimal_places=4,
        help_text=_("In the figure's unit; a rate as a share, e.g. 0.85 for 85%."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("must-pass gate")
        verbose_name_plural = _("must-pass gates")
        ordering = ["version", "sort_order", "pk"]

    def __str__(self):
        return self.name


class SurveyChoice(FrozenRubricGuard, models.Model):
    """One answer of the ballot's scale (满意 / 基本满意 / 不满意 …), and whether it counts
    towards the approval rate."""

    version = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="survey_choices",
        limit_choices_to={"status": RubricStatus.DRAFT},
    )
    code = models.SlugField(_("code"), max_length=20)
    label = models.CharField(_("answer"), max_length=30)
    approves = models.BooleanField(
        _("counts as approval"),
        default=True,
        help_text=_("The approval rate is the answers counted as approval ÷ all answers."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey answer choice")
        verbose_name_plural = _("survey answer choices")
        ordering = ["version", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="choice_code_per_rubric"),
        ]

    def __str__(self):
        return self.label


class VetoItem(FrozenRubricGuard, models.Model):
    """一票否决事项: an event that keeps a group from any level whatever its score
    (发生重大安全生产责任事故 …)."""

    version = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="veto_items",
        limit_choices_to={"status": RubricStatus.DRAFT},
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("veto item of the rubric")
        verbose_name_plural = _("veto items of the rubric")
        ordering = ["version", "sort_order", "pk"]

    def __str__(self):
        return self.name


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("Bonus (加分)")
    DEDUCTION = "deduction", _("Deduction (减分)")


class AdjustmentItem(FrozenRubricGuard, models.Model):
    """A bonus (获市级以上表彰 …) or deduction item (安全事故, 违纪 …) of a criterion. What
    is entered for one group in one period counts up to the item's cap; a criterion's
    bonus items together count up to the criterion's bonus cap."""

    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="adjustment_items",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AdjustmentKind.choices)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    points_each = models.DecimalField(
        _("points each time"),
        **POINTS,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Proposed when an entry is made; the person entering may change it."),
    )
    cap = models.DecimalField(
        _("points at most per group and period"),
        **POINTS,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bonus or deduction item")
        verbose_name_plural = _("bonus and deduction items")
        ordering = ["criterion__sort_order", "kind", "sort_order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"


class SurveyQuestion(FrozenRubricGuard, models.Model):
    """One question of the 民主测评 ballot, in plain words, answered 满意 / 基本满意 /
    不满意."""

    version = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="survey_questions",
        limit_choices_to={"status": RubricStatus.DRAFT},
    )
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["version", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_per_rubric"),
        ]

    def __str__(self):
        return self.text


class AssessmentPeriodQuerySet(ScopedQuerySet):
    """Periods belong to the whole organisation. HQ and the workshop unions (which issue
    the survey ballots of their groups) see every period, an evaluator those assigned to
    them, a group leader those with published results."""

    group_lookup = None
    workshop_lookup = None
    policy = {
        VIEW: {
            Role.HQ: Reach.ALL,
            Role.WORKSHOP: Reach.ALL,
            Role.EVALUATOR: Reach.ASSIGNED,
            Role.GROUP_LEADER: Reach.PUBLISHED,
            Role.INSPECTOR: Reach.PUBLISHED,
        },
        SEE_DRAFTS: {Role.HQ: Reach.ALL, Role.EVALUATOR: Reach.ASSIGNED},
        EVALUATE: {Role.EVALUATOR: Reach.ASSIGNED},
        RUN: HQ_ONLY,
        ISSUE_BALLOTS: {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.ALL},
    }

    def rule_q(self, user, rule):
        if rule is Reach.ASSIGNED:
            through = AssessmentPeriod.evaluators.through
            return Q(pk__in=through.objects.filter(user=user).values("assessmentperiod_id"))
        # A period reopened for scoring keeps showing its last published results.
        return Q(pk__in=ScoreRun.objects.filter(published_at__isnull=False).values("period_id"))


class AssessmentPeriod(models.Model):
    """An assessment period (2026年度, or a half year) with its level thresholds."""

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    subject = models.CharField(
        _("assesses"), max_length=10, choices=Subject.choices, default=Subject.GROUPS
    )
    rubric = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="periods",
        blank=True,
        help_text=_("Empty: the rubric of the year the period ends in, for what it assesses."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluators"),
        blank=True,
        related_name="assessment_periods",
        limit_choices_to={"role_assignments__role": Role.EVALUATOR},
    )
    top_title = models.CharField(
        _("name of the top list"),
        max_length=40,
        blank=True,
        help_text=_("Empty: 十佳职工小家, or 十佳车间工会 for workshop unions."),
    )
    top_size = models.PositiveSmallIntegerField(
        _("places on the top list (十佳)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Groups tied at the last place all stand on the list."),
    )
    survey_closes_on = models.DateField(
        _("survey closes on"),
        null=True,
        blank=True,
        help_text=_("Ballots can no longer be used after this day."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[evaluators])
    objects = AssessmentPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-end", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="period_ends_after_start", condition=Q(end__gte=models.F("start"))
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.rubric_id and self.end:
            self.rubric = RubricVersion.objects.for_year(self.end.year, self.subject)
        super().save(*args, **kwargs)

    @property
    def scope_ids(self):
        return None, None

    @property
    def for_workshops(self) -> bool:
        return self.subject == Subject.WORKSHOPS

    @property
    def top_list_name(self) -> str:
        if self.top_title:
            return self.top_title
        return "十佳车间工会" if self.for_workshops else "十佳职工小家"

    def clean(self):
        super().clean()
        if not self.rubric_id and self.end:
            self.rubric = RubricVersion.objects.for_year(self.end.year, self.subject)
            if self.rubric is None:
                raise ValidationError({"rubric": _("Prepare a rubric for this year first.")})
        if self.rubric_id and self.rubric.subject != self.subject:
            raise ValidationError({"rubric": _("Choose a rubric for what the period assesses.")})


class Veto(models.Model):
    """一票否决: something recorded against a group (a serious safety accident …) that
    keeps it from any level whatever its score."""

    period = models.ForeignKey(
        AssessmentPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="vetoes"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="vetoes"
    )
    item = models.ForeignKey(
        VetoItem,
        verbose_name=_("veto item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("what happened"), max_length=200)
    happened_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")

    def __str__(self):
        return f"{self.group} · {self.reason}"


class AdjustmentQuerySet(ScopedQuerySet):
    # Read with the scorecard that shows it; HQ enters it (the period's RUN step).
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {VIEW: RECORDS_READERS}


def _evidence_path(adjustment, filename):
    return (
        f"scoring/adjustments/{adjustment.period_id}/{uuid.uuid4().hex}{PurePath(filename).suffix}"
    )


class Adjustment(models.Model):
    """One bonus or deduction entered for a group in a period, with its evidence and who
    entered it. The engine counts it within its item's and criterion's caps."""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="adjustments"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        AdjustmentItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="entries"
    )
    points = models.DecimalField(
        _("points"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.CharField(_("what happened"), max_length=300)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_mime = models.CharField(max_length=100, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bonus or deduction")
        verbose_name_plural = _("bonuses and deductions")
        ordering = ["period", "group", "item", "at"]
        constraints = [
            models.CheckConstraint(name="adjustment_points_positive", condition=Q(points__gt=0)),
        ]

    def __str__(self):
        return f"{self.group} · {self.item.name} {self.points}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id


class ManualScoreQuerySet(ScopedQuerySet):
    # An evaluator keeps their own scores in the periods they are assigned to.
    policy = {CHANGE: {Role.EVALUATOR: Reach.ASSIGNED}}

    def rule_q(self, user, rule):
        return Q(evaluator=user, period__in=AssessmentPeriod.objects.restrict(user, EVALUATE))


class ManualScore(models.Model):
    """An evaluator's score for one group on one manual indicator, kept as the share of
    the indicator's points (0 to 1); several evaluators' shares are averaged."""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="manual_scores"
    )
    group = models.ForeignKey(
        UnionGroup, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    workshop = models.ForeignKey(
        WorkshopUnion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fraction = models.DecimalField(
        _("share of the points"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ManualScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "group", "indicator", "evaluator"], name="manual_score_once"
            ),
            models.UniqueConstraint(
                fields=["period", "workshop", "indicator", "evaluator"],
                condition=Q(workshop__isnull=False),
                name="manual_score_once_per_workshop",
            ),
            models.CheckConstraint(
                name="manual_score_of_a_group_or_a_workshop",
                condition=Q(group__isnull=False, workshop__isnull=True)
                | Q(group__isnull=True, workshop__isnull=False),
            ),
            models.CheckConstraint(
                name="manual_score_fraction", condition=Q(fraction__gte=0) & Q(fraction__lte=1)
            ),
        ]

    def __str__(self):
        return f"{self.period_id} {self.group_id} {self.indicator_id} {self.fraction}"


class ScoreRun(models.Model):
    """One computation of a period. Publishing freezes it; computing a published period
    again makes a new version, and the earlier one stays readable."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="runs")
    version = models.PositiveIntegerField(_("version"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    rubric = models.ForeignKey(
        RubricVersion, verbose_name=_("rubric version"), on_delete=models.PROTECT, related_name="+"
    )
    # The rubric written out as it was when computed: the page reads this copy.
    scheme = models.JSONField(_("criteria used"))

    class Meta:
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")
        ordering = ["period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="run_version_once"),
        ]

    def __str__(self):
        return f"{self.period} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class GroupResultQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {VIEW: RECORDS_READERS}

    def rated(self):
        return self.exclude(level="")


class GroupResult(models.Model):
    """A group's result in one run: total, level, ranks and the breakdown a person can
    check by hand (each indicator's raw value, rule and points). A group whose 小家 has
    not passed its acceptance gets no level (`level` empty) and keeps its `stage`."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="results")
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="results")
    total = models.DecimalField(_("total"), **POINTS)
    level = models.CharField(
        pgettext_lazy("assessment", "level"), max_length=10, choices=Level.choices, blank=True
    )
    stage = models.CharField(
        _("small home stage"), max_length=20, choices=HomeStage.choices, blank=True
    )
    vetoed = models.BooleanField(_("vetoed"), default=False)
    rank = models.PositiveIntegerField(_("rank"))
    rank_in_workshop = models.PositiveIntegerField(_("rank in the workshop union"))
    top_ten = models.BooleanField(_("top ten"), default=False)
    breakdown = models.JSONField(_("breakdown"))

    objects = GroupResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("group result")
        verbose_name_plural = _("group results")
        ordering = ["run", "rank", "group__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "group"], name="result_once_per_run"),
        ]
        indexes = [models.Index(fields=["run", "level"], name="result_run_level")]

    def __str__(self):
        return f"{self.run} {self.group} {self.total}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_rated(self) -> bool:
        """Whether the group holds an accepted 小家, and so a level."""
        return bool(self.level)


class WorkshopResultQuerySet(ScopedQuerySet):
    """HQ and evaluators read every workshop union's result; a workshop union its own."""

    group_lookup = None
    workshop_lookup = "workshop"
    policy = {VIEW: {Role.HQ: Reach.ALL, Role.EVALUATOR: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}}


class WorkshopResult(models.Model):
    """A workshop union's result in one run of a period that assesses workshop unions
    (十佳车间工会): total, level, rank, the top list, and the breakdown."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="workshop_results")
    workshop = models.ForeignKey(
        WorkshopUnion, on_delete=models.PROTECT, related_name="assessment_results"
    )
    total = models.DecimalField(_("total"), **POINTS)
    level = models.CharField(
        pgettext_lazy("assessment", "level"), max_length=10, choices=Level.choices
    )
    rank = models.PositiveIntegerField(_("rank"))
    top_ten = models.BooleanField(_("on the top list"), default=False)
    breakdown = models.JSONField(_("breakdown"))

    objects = WorkshopResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop union result")
        verbose_name_plural = _("workshop union results")
        ordering = ["run", "rank", "workshop__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["run", "workshop"], name="workshop_result_once"),
        ]

    def __str__(self):
        return f"{self.run} {self.workshop} {self.total}"

    @property
    def scope_ids(self):
        return self.workshop_id, None


class BallotQuerySet(ScopedQuerySet):
    # HQ issues ballots for any group, a workshop union for its own groups.
    policy = {ISSUE_BALLOTS: {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}}


class Ballot(models.Model):
    """A one-time 民主测评 ballot. Only a keyed hash of its code is kept, and nothing ties
    it to a member; its answer is stored apart, with no link back to it."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField()
    used = models.BooleanField(default=False)
    voided = models.BooleanField(default=False)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["period", "group"], name="ballot_period_group")]

    def __str__(self):
        return f"{self.period_id} {self.group_id}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id


class SurveyAnswer(models.Model):
    """The answers of one ballot: per question of the period's rubric, one answer of its
    scale (a SurveyChoice code), and a comment. No time and no ballot are recorded, so an
    answer cannot be traced to a member."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="answers")
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()  # {question code: choice code}
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["period", "group"], name="answer_period_group")]

    def __str__(self):
        return f"{self.period_id} {self.group_id}"


class WaiverKind(models.TextChoices):
    MANUAL = "manual", _("No evaluator's score")
    SURVEY = "survey", _("Survey below the turnout")
    GATE = "gate", _("Gate without data")


class WaiverQuerySet(ScopedQuerySet):
    # Read with the scorecard that shows it; HQ records it (the period's RUN step).
    policy = {VIEW: RECORDS_READERS}


class Waiver(models.Model):
    """不适用: HQ's reason why a score missing from a period may stay missing when it is
    published (a group without 班组 safety work to judge, a survey not held). The line is
    scored as the indicator says for missing data; the scorecard shows the reason."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="waivers")
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what is missing"), max_length=10, choices=WaiverKind.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gate = models.ForeignKey(
        Gate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = WaiverQuerySet.as_manager()

    class Meta:
        verbose_name = _("not applicable (不适用)")
        verbose_name_plural = _("not applicable (不适用)")
        ordering = ["period", "group", "kind", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "group", "indicator"],
                condition=Q(kind=WaiverKind.MANUAL),
                name="waiver_once_per_line",
            ),
            models.UniqueConstraint(
                fields=["period", "group"],
                condition=Q(kind=WaiverKind.SURVEY),
                name="waiver_once_per_survey",
            ),
            models.UniqueConstraint(
                fields=["period", "group", "gate"],
                condition=Q(kind=WaiverKind.GATE),
                name="waiver_once_per_gate",
            ),
            models.CheckConstraint(
                name="waiver_names_what_it_waives",
                condition=Q(kind=WaiverKind.SURVEY, indicator__isnull=True, gate__isnull=True)
                | Q(kind=WaiverKind.MANUAL, indicator__isnull=False, gate__isnull=True)
                | Q(kind=WaiverKind.GATE, indicator__isnull=True, gate__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.period_id} {self.group_id} {self.kind} {self.indicator_id}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id
