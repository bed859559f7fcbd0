"""Assessment of the 职工小家: criteria and indicators, periods, manual scores, the
民主测评 survey and the computed results. Only a 小家 that passed its acceptance gets a
level; the others stand in the ranking with their stage (groups.HomeStage)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import CHANGE, HQ_ONLY, RECORDS_READERS, VIEW, Reach, ScopedQuerySet
from groups.models import HomeStage, UnionGroup

POINTS = {"max_digits": 7, "decimal_places": 2}

# The assessment's actions beyond seeing and changing.
SEE_DRAFTS = "see_drafts"  # results computed but not yet published
EVALUATE = "evaluate"  # enter manual scores
RUN = "run"  # compute, publish, move the period's steps, record vetoes, name groups
ISSUE_BALLOTS = "issue_ballots"  # the 民主测评 ballots of a group


class Criterion(models.Model):
    """One of the assessment conditions (领导有方，骨干得力 …) with its weight in points.
    Editing a criterion never changes a published result: results keep their own copy."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight (points)"), **POINTS, validators=[MinValueValidator(Decimal("0"))]
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sort_order", "pk"]

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


class Indicator(models.Model):
    """How one part of a criterion is measured and turned into points.

    Its points are the criterion's weight × its share of the criterion's active shares ×
    the fraction its rule gives the value (0 to 1)."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
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
    qualified_at = models.DecimalField(
        _("qualified from (points)"), **POINTS, default=Decimal("60")
    )
    advanced_at = models.DecimalField(_("advanced from (points)"), **POINTS, default=Decimal("80"))
    model_at = models.DecimalField(_("model from (points)"), **POINTS, default=Decimal("90"))
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
            models.CheckConstraint(
                name="period_thresholds_in_order",
                condition=Q(qualified_at__lte=models.F("advanced_at"))
                & Q(advanced_at__lte=models.F("model_at")),
                violation_error_message=_("The thresholds go up: qualified ≤ advanced ≤ model."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_ids(self):
        return None, None

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


class Veto(models.Model):
    """一票否决: something recorded against a group (a serious safety accident …) that
    keeps it from any level whatever its score."""

    period = models.ForeignKey(
        AssessmentPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="vetoes"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="vetoes"
    )
    reason = models.CharField(_("reason"), max_length=200)
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
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")
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
    # The criteria and indicators as they were when computed: the page reads these.
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
    """The answers of one ballot: per criterion 满意 / 基本满意 / 不满意, and a comment.
    No time and no ballot are recorded, so an answer cannot be traced to a member."""

    SATISFIED = "satisfied"
    FAIRLY = "fairly"
    UNSATISFIED = "unsatisfied"
    CHOICES = [
        (SATISFIED, _("Satisfied")),
        (FAIRLY, _("Fairly satisfied")),
        (UNSATISFIED, _("Not satisfied")),
    ]

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="answers")
    group = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()  # {criterion code: satisfied | fairly | unsatisfied}
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["period", "group"], name="answer_period_group")]

    def __str__(self):
        return f"{self.period_id} {self.group_id}"


class WaiverKind(models.TextChoices):
    MANUAL = "manual", _("No evaluator's score")
    SURVEY = "survey", _("No survey answers")


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
            models.CheckConstraint(
                name="waiver_manual_names_its_indicator",
                condition=Q(kind=WaiverKind.SURVEY, indicator__isnull=True)
                | Q(kind=WaiverKind.MANUAL, indicator__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.period_id} {self.group_id} {self.kind} {self.indicator_id}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id
