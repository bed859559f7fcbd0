"""Changes in the assessment: the period's steps, manual scores, vetoes, computing and
publishing results and ballots. (Naming a 小家 is a step of its creation: the homes app.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import require_allowed
from groups.models import Member, MemberStatus, UnionGroup, WorkshopUnion
from unionhome import metrics, uploads
from unionhome.bulk import copy_rows
from unionhome.signals import records_changed_in_bulk

from . import engine, survey
from .completeness import completeness
from .models import (
    EVALUATE,
    ISSUE_BALLOTS,
    RUN,
    Adjustment,
    AdjustmentItem,
    AssessmentPeriod,
    Ballot,
    Criterion,
    Gate,
    GroupResult,
    Indicator,
    IndicatorKind,
    ManualScore,
    PeriodStatus,
    RubricStatus,
    RubricVersion,
    ScoreRun,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    Veto,
    VetoItem,
    Waiver,
    WorkshopResult,
)


def _require_groups_period(period: AssessmentPeriod) -> None:
    """Ballots, vetoes, bonuses and deductions belong to the groups' assessment."""
    if period.for_workshops:
        raise ValidationError(_("This period assesses workshop unions, not groups."))


def _rubric_problems(rubric: RubricVersion) -> list[str]:
    total = engine.active_weight_total(rubric)
    problems = []
    if total != engine.FULL_MARKS:
        problems.append(
            _("The active criteria of %(rubric)s add up to %(total)s points, not %(full)s.")
            % {"rubric": rubric, "total": f"{total.normalize():f}", "full": engine.FULL_MARKS}
        )
    for name, figure in [
        *((i["name"], i["metric"]) for c in engine.scheme_of(rubric) for i in c["indicators"]),
        *((g["name"], g["metric"]) for g in engine.gates_of(rubric)),
    ]:
        problem = engine.figure_fits(metrics.get(figure), rubric.subject) if figure else None
        if problem:
            problems.append(f"{name}：{problem}")
    has_ballot = (
        SurveyQuestion.objects.filter(version=rubric).exists()
        and SurveyChoice.objects.filter(version=rubric).exists()
    )
    if not has_ballot and engine.uses_survey(engine.scheme_of(rubric)):
        problems.append(
            _("%(rubric)s scores the survey but asks no question.") % {"rubric": rubric}
        )
    return problems


@transaction.atomic
def rubric_freeze(*, rubric: RubricVersion, by) -> RubricVersion:
    """Freeze a rubric version: from now on it is used as it is, never edited."""
    rubric = RubricVersion.objects.select_for_update().get(pk=rubric.pk)
    if rubric.is_frozen:
        raise ValidationError(_("%(rubric)s is frozen already.") % {"rubric": rubric})
    problems = _rubric_problems(rubric)
    if problems:
        raise ValidationError(problems)
    rubric.status = RubricStatus.FROZEN
    rubric.frozen_at = timezone.now()
    rubric.frozen_by = by
    rubric._history_user = by
    rubric.save(update_fields=["status", "frozen_at", "frozen_by"])
    return rubric


@transaction.atomic
def rubric_put_in_use(*, rubric: RubricVersion, by) -> RubricVersion:
    """A rubric is frozen when the first period is computed or the first declaration made
    on it; a draft that cannot be frozen stops that step with the reason. Two first uses
    at once: the second finds it frozen."""
    rubric = RubricVersion.objects.select_for_update().get(pk=rubric.pk)
    if rubric.is_frozen:
        return rubric
    return rubric_freeze(rubric=rubric, by=by)


@transaction.atomic
def rubric_copy(*, rubric: RubricVersion, year: int, by) -> RubricVersion:
    """Copy a rubric version, with everything in it, into a draft for another year."""
    if RubricVersion.objects.filter(year=year, subject=rubric.subject).exists():
        raise ValidationError({"year": _("%(year)s has a rubric already.") % {"year": year}})
    copy = RubricVersion.objects.get(pk=rubric.pk)
    copy.pk = None
    copy.year = year
    copy.status = RubricStatus.DRAFT
    copy.frozen_at = copy.frozen_by = None
    copy.based_on = rubric
    copy._history_user = by
    copy.save()
    for criterion in Criterion.objects.filter(version=rubric).prefetch_related(
        "indicators", "adjustment_items"
    ):
        indicators = list(criterion.indicators.all())
        items = list(criterion.adjustment_items.all())
        criterion.pk = None
        criterion.version = copy
        criterion.save()
        for part in indicators + items:
            part.pk = None
            part.criterion = criterion
        Indicator.objects.bulk_create(indicators)
        AdjustmentItem.objects.bulk_create(items)
    for model in (Gate, SurveyQuestion, SurveyChoice, VetoItem):
        parts = list(model.objects.filter(version=rubric))
        for part in parts:
            part.pk = None
            part.version = copy
        model.objects.bulk_create(parts)
    return copy


@transaction.atomic
def period_move(*, period: AssessmentPeriod, by, to: str) -> AssessmentPeriod:
    """进行中 → 评分中 → 已发布 (by publishing); a published period may be reopened for
    scoring, its published results staying as they are."""
    require_allowed(by, RUN, period)
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    allowed = {
        PeriodStatus.OPEN: {PeriodStatus.SCORING},
        PeriodStatus.SCORING: {PeriodStatus.OPEN},
        PeriodStatus.PUBLISHED: {PeriodStatus.SCORING},
    }
    if to not in allowed[period.status]:
        raise ValidationError(
            _("The period cannot go from %(now)s to %(to)s.")
            % {"now": period.get_status_display(), "to": PeriodStatus(to).label}
        )
    period.status = to
    period._history_user = by
    period.save(update_fields=["status"])
    return period


@transaction.atomic
def manual_score_set(
    *,
    period: AssessmentPeriod,
    group: UnionGroup | None = None,
    workshop: WorkshopUnion | None = None,
    indicator: Indicator,
    by,
    points: Decimal,
    max_points: Decimal,
    comment: str = "",
) -> ManualScore:
    """An evaluator scores a group (or, in a period that assesses workshop unions, a
    workshop union) on a manual indicator, out of the indicator's points."""
    # Locked: a score entered while the period is being published waits, then is refused.
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    require_allowed(by, EVALUATE, period)
    if period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("The period is published; its scores are closed."))
    if (workshop is not None) != period.for_workshops or (group is None) == (workshop is None):
        raise ValidationError(_("This period assesses other units."))
    if (
        indicator.kind != IndicatorKind.MANUAL
        or not indicator.is_active
        or indicator.criterion.version_id != period.rubric_id
    ):
        raise ValidationError(_("This indicator is not scored by hand."))
    if points < 0 or points > max_points:
        raise ValidationError(
            {"points": _("Give between 0 and %(max)s points.") % {"max": max_points}}
        )
    fraction = (points / max_points).quantize(Decimal("0.0001")) if max_points else Decimal(0)
    score, _created = ManualScore.objects.update_or_create(
        period=period,
        group=group,
        workshop=workshop,
        indicator=indicator,
        evaluator=by,
        defaults={"fraction": fraction, "comment": comment.strip()},
    )
    return score


@transaction.atomic
def veto_add(
    *,
    period: AssessmentPeriod,
    group: UnionGroup,
    by,
    reason: str,
    happened_on: date,
    item: VetoItem | None = None,
) -> Veto:
    """一票否决: record an event of one of the rubric's veto items against a group."""
    require_allowed(by, RUN, period)
    _require_groups_period(period)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what happened.")})
    if period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("Reopen the period for scoring first."))
    items = VetoItem.objects.filter(version=period.rubric_id)
    if item is None and items.exists():
        raise ValidationError({"item": _("Choose which veto item of the rubric it is.")})
    if item is not None and not items.filter(pk=item.pk).exists():
        raise ValidationError({"item": _("Choose a veto item of the period's rubric.")})
    veto = Veto(
        period=period,
        group=group,
        item=item,
        reason=reason.strip(),
        happened_on=happened_on,
        recorded_by=by,
    )
    veto.full_clean()
    veto.save()
    return veto


@transaction.atomic
def veto_remove(*, veto: Veto, by) -> None:
    require_allowed(by, RUN, veto.period)
    if veto.period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("Reopen the period for scoring first."))
    veto.delete()


RESULT_FIELDS = [
    "run_id",
    "group_id",
    "total",
    "level",
    "vetoed",
    "rank",
    "rank_in_workshop",
    "top_ten",
    "breakdown",
    "stage",
]


@transaction.atomic
def score_compute(*, period: AssessmentPeriod, by=None) -> ScoreRun:
    """Compute every group's result. An unpublished run is replaced; a published one is
    kept, and the new computation becomes the next version."""
    require_allowed(by, RUN, period)
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    latest = period.runs.order_by("-version").first()
    if latest is not None and not latest.is_published:
        version = latest.version
        # The run's thousands of results go in one statement each: deleted through the
        # ORM, every row would be loaded (breakdowns and all) and deleted a hundred at a
        # time for the change signals, which the run's own deletion below sends once.
        for results in (latest.results.all(), latest.workshop_results.all()):
            results._raw_delete(results.db)
        latest.delete()
    else:
        version = (latest.version + 1) if latest else 1
    rubric_put_in_use(rubric=period.rubric, by=by)
    scheme = engine.scheme_of(period.rubric)
    if period.for_workshops:
        run = ScoreRun.objects.create(
            period=period, rubric=period.rubric, version=version, computed_by=by, scheme=scheme
        )
        WorkshopResult.objects.bulk_create(
            WorkshopResult(run=run, **result) for result in engine.compute_workshops(period, scheme)
        )
        if period.status == PeriodStatus.OPEN:
            period.status = PeriodStatus.SCORING
            period.save(update_fields=["status"])
        return run
    computed = engine.compute(period, scheme)
    run = ScoreRun.objects.create(
        period=period, rubric=period.rubric, version=version, computed_by=by, scheme=scheme
    )
    # COPY: thousands of rows, each with its breakdown; a bulk INSERT spent seconds
    # quoting the breakdowns into one statement's parameters.
    copy_rows(
        GroupResult,
        RESULT_FIELDS,
        (
            (
                run.pk,
                c.group_id,
                c.total,
                c.level,
                c.vetoed,
                c.rank,
                c.rank_in_workshop,
                c.top_ten,
                c.breakdown,
                c.stage,
            )
            for c in computed
        ),
    )
    if period.status == PeriodStatus.OPEN:
        period.status = PeriodStatus.SCORING
        period.save(update_fields=["status"])
    return run


@transaction.atomic
def score_publish(*, period: AssessmentPeriod, by) -> ScoreRun:
    """Publish the latest computation: it is frozen, and group leaders see their card.
    `by=None` is the operator at the command line."""
    require_allowed(by, RUN, period)
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    run = period.runs.order_by("-version").first()
    if run is None:
        raise ValidationError(_("Compute the results before publishing them."))
    if run.is_published:
        raise ValidationError(_("These results are already published."))
    _require_complete(period)
    run.published_at = timezone.now()
    run.published_by = by
    run.save(update_fields=["published_at", "published_by"])
    period.status = PeriodStatus.PUBLISHED
    period._history_user = by
    period.save(update_fields=["status"])
    return run


def _require_complete(period: AssessmentPeriod) -> None:
    """The publish guard: nothing is published with a score silently missing."""
    found = completeness(period)
    problems = []
    if found.stale:
        problems.append(
            _(
                "Scores, bonuses, deductions or vetoes changed after the results were "
                "computed: compute them again."
            )
        )
    if found.open:
        names = "、".join(f"{gap.group.name}（{gap.what}）" for gap in found.open[:5])
        message = (
            _(
                "%(n)s scores are missing (%(names)s%(more)s): have them entered, or mark "
                "each 不适用 with a reason."
            )
            if found.waivable
            else _("%(n)s scores are missing (%(names)s%(more)s): have them entered.")
        )
        problems.append(
            message
            % {"n": len(found.open), "names": names, "more": "…" if len(found.open) > 5 else ""}
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def waivers_add(*, period: AssessmentPeriod, by, keys: list[str], reason: str) -> list[Waiver]:
    """Mark missing scores of the latest run 不适用 with HQ's reason. `keys` name gaps as
    the completeness page does ("manual:<group>:<indicator>", "survey:<group>:0")."""
    require_allowed(by, RUN, period)
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("Reopen the period for scoring first."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these scores do not apply.")})
    found = completeness(period)
    if not found.waivable:
        raise ValidationError(_("Every workshop union is scored; nothing is marked 不适用."))
    gaps = {gap.key: gap for gap in found.open}
    chosen = [gaps[key] for key in keys if key in gaps]
    if not chosen:
        raise ValidationError({"keys": _("Choose the missing scores that do not apply.")})
    waivers = []
    for gap in chosen:
        waiver = Waiver(
            period=period,
            group=gap.group,
            kind=gap.kind,
            indicator_id=gap.indicator["id"] if gap.indicator else None,
            gate_id=gap.gate["id"] if gap.gate else None,
            reason=reason.strip()[:300],
            by=by,
        )
        waiver.full_clean()
        waiver._history_user = by
        waiver.save()
        waivers.append(waiver)
    return waivers


@transaction.atomic
def waiver_remove(*, waiver: Waiver, by) -> None:
    require_allowed(by, RUN, waiver.period)
    if waiver.period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("Reopen the period for scoring first."))
    waiver._history_user = by
    waiver.delete()


@transaction.atomic
def adjustment_add(
    *,
    period: AssessmentPeriod,
    group: UnionGroup,
    item: AdjustmentItem,
    by,
    points: Decimal,
    reason: str,
    evidence=None,
) -> Adjustment:
    """Enter a bonus or a deduction for a group, with what happened and its evidence. It
    counts at the next computation, within the item's and the criterion's caps."""
    require_allowed(by, RUN, period)
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    _require_groups_period(period)
    item = AdjustmentItem.objects.select_related("criterion").get(pk=item.pk)
    if period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("Reopen the period for scoring first."))
    if item.criterion.version_id != period.rubric_id or not item.is_active:
        raise ValidationError({"item": _("Choose an item of the period's rubric.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what happened.")})
    if points <= 0 or points > item.cap:
        raise ValidationError(
            {"points": _("Give more than 0 and at most %(cap)s points.") % {"cap": item.cap}}
        )
    adjustment = Adjustment(
        period=period, group=group, item=item, points=points, reason=reason.strip(), by=by
    )
    if evidence is not None:
        file_type = uploads.validate_upload(evidence)
        adjustment.evidence_name = evidence.name[:200]
        adjustment.evidence_mime = file_type.mime
        adjustment.evidence.save(f"evidence.{file_type.extension}", evidence, save=False)
    adjustment._history_user = by
    adjustment.save()
    return adjustment


@transaction.atomic
def adjustment_remove(*, adjustment: Adjustment, by) -> None:
    require_allowed(by, RUN, adjustment.period)
    if adjustment.period.status == PeriodStatus.PUBLISHED:
        raise ValidationError(_("Reopen the period for scoring first."))
    adjustment._history_user = by
    adjustment.delete()


def _survey_open(period: AssessmentPeriod) -> bool:
    if period.status == PeriodStatus.PUBLISHED:
        return False
    return period.survey_closes_on is None or timezone.localdate() <= period.survey_closes_on


@transaction.atomic
def ballots_issue(
    *,
    period: AssessmentPeriod,
    group: UnionGroup,
    by,
    count: int | None = None,
    void_unused: bool = False,
) -> list[str]:
    """Issue one-time ballots for a group (by default one per member in the union) and
    return their codes. The codes are not kept: print the slips now."""
    require_allowed(by, ISSUE_BALLOTS, Ballot(period=period, group=group))
    _require_groups_period(period)
    if not _survey_open(period):
        raise ValidationError(_("The survey of this period is closed."))
    if count is None:
        count = Member.objects.filter(group=group, status=MemberStatus.ACTIVE).count()
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("Issue between 1 and 500 ballots at a time.")})
    if void_unused:
        Ballot.objects.filter(period=period, group=group, used=False).update(voided=True)
        records_changed_in_bulk.send(sender=Ballot, using=router.db_for_write(Ballot))
    codes = []
    today = timezone.localdate()
    while len(codes) < count:
        code = survey.new_code()
        try:
            with transaction.atomic():
                Ballot.objects.create(
                    period=period,
                    group=group,
                    code_hash=survey.code_hash(code),
                    issued_by=by,
                    issued_on=today,
                )
        except IntegrityError:
            continue  # the same code twice: draw another
        codes.append(code)
    return codes


class BallotRefused(ValidationError):
    pass


def ballot_lookup(code: str) -> Ballot:
    """The ballot behind a code, or a clear refusal: unknown, used, void or closed."""
    ballot = (
        Ballot.objects.select_related("period", "group")
        .filter(code_hash=survey.code_hash(code))
        .first()
    )
    if ballot is None:
        raise BallotRefused(
            _("There is no ballot with this code. Check the code on your slip."), code="unknown"
        )
    if ballot.used:
        raise BallotRefused(
            _("This ballot has already been used. Each ballot counts once."), code="used"
        )
    if ballot.voided:
        raise BallotRefused(
            _("This ballot was withdrawn; ask your union for a new one."), code="voided"
        )
    if not _survey_open(ballot.period):
        raise BallotRefused(
            _("The survey has closed; the ballot can no longer be used."), code="expired"
        )
    return ballot


@transaction.atomic
def ballot_submit(*, code: str, answers: dict[str, str], comment: str = "") -> None:
    """Record one anonymous vote and use up the ballot; the answer keeps no link to it."""
    ballot = ballot_lookup(code)
    ballot = Ballot.objects.select_for_update().select_related("period").get(pk=ballot.pk)
    if ballot.used:  # two submissions of the same code at once: the second loses
        raise BallotRefused(
            _("This ballot has already been used. Each ballot counts once."), code="used"
        )
    questions = set(
        SurveyQuestion.objects.filter(version=ballot.period.rubric_id).values_list(
            "code", flat=True
        )
    )
    valid = set(
        SurveyChoice.objects.filter(version=ballot.period.rubric_id).values_list("code", flat=True)
    )
    if set(answers) != questions or not set(answers.values()) <= valid:
        raise ValidationError(_("Answer every question."))
    ballot.used = True
    ballot.save(update_fields=["used"])
    SurveyAnswer.objects.create(
        period_id=ballot.period_id,
        group_id=ballot.group_id,
        answers=answers,
        comment=comment.strip()[:1000],
    )
