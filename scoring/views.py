"""Assessment pages. Views translate HTTP to selector and service calls."""

from decimal import Decimal

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from groups.models import UnionGroup, WorkshopUnion
from unionhome.db import reads_from_replica
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param
from unionhome.tabular import xlsx_response
from unionhome.uploads import file_response

from . import measures, selectors, services
from .completeness import completeness
from .engine import scheme_of, uses_survey
from .forms import (
    AdjustmentForm,
    BallotForm,
    BallotIssueForm,
    CodeForm,
    ManualScoresForm,
    MeasureAdminForm,
    VetoForm,
    WaiverForm,
)
from .models import (
    EVALUATE,
    ISSUE_BALLOTS,
    RUN,
    SEE_DRAFTS,
    Adjustment,
    AssessmentPeriod,
    Ballot,
    GroupResult,
    Indicator,
    IndicatorKind,
    ManualScore,
    Measure,
    PeriodStatus,
    ScoreRun,
    Subject,
    SurveyChoice,
    SurveyQuestion,
    VetoItem,
    Waiver,
    WorkshopResult,
)


def _period(request, pk, action=VIEW) -> AssessmentPeriod:
    return scoped_object_or_404(
        AssessmentPeriod.objects.select_related("rubric"), request.user, action, pk=pk
    )


def _groups_period(request, pk, action=VIEW) -> AssessmentPeriod:
    """A period that assesses union groups: ballots, vetoes, bonuses and deductions and the
    groups' cards belong to those only."""
    period = _period(request, pk, action)
    if period.for_workshops:
        raise Http404
    return period


def _own_scorecard(request, period):
    """A user who reaches one group's results only (its leader) reads that group's card."""
    own = GroupResult.objects.scope(request.user, VIEW).only_group_id
    if own is None:
        return None
    return redirect("scoring:scorecard", pk=period.pk, group_pk=own)


@require_GET
def period_list(request):
    require_reach(AssessmentPeriod.objects.all(), request.user, VIEW)
    return render(
        request,
        "scoring/period_list.html",
        {
            "periods": selectors.period_list(user=request.user),
            "can_add_period": request.user.has_perm("scoring.add_assessmentperiod"),
        },
    )


@require_GET
def period_detail(request, pk):
    period = _period(request, pk)
    own = _own_scorecard(request, period)
    if own is not None:
        return own
    return _period_page(request, period)


def _period_page(request, period, waiver_form=None):
    user = request.user
    can_run = allows(user, RUN, period)
    found = completeness(period) if can_run else None
    if found is not None and found.waivable and waiver_form is None:
        waiver_form = WaiverForm(gaps=found.open)
    return render(
        request,
        "scoring/period_detail.html",
        {
            "period": period,
            "runs": list(period.runs.all()) if allows(user, SEE_DRAFTS, period) else [],
            "can_run": can_run,
            "is_evaluator": allows(user, EVALUATE, period),
            "can_issue": allows(user, ISSUE_BALLOTS, period),
            "vetoes": period.vetoes.select_related("group__workshop") if can_run else [],
            "completeness": found,
            "waiver_form": waiver_form,
        },
    )


@require_POST
def waivers_add(request, pk):
    """Mark missing scores 不适用 with a reason (HQ, before publishing)."""
    period = _period(request, pk, RUN)
    form = WaiverForm(request.POST, gaps=completeness(period).open)
    if form.is_valid():
        try:
            added = services.waivers_add(
                period=period,
                by=request.user,
                keys=form.cleaned_data["keys"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)s missing scores are marked 不适用; the scorecards show why.")
                % {"n": len(added)},
            )
            return redirect(reverse("scoring:period_detail", args=[period.pk]) + "#completeness")
    return _period_page(request, period, waiver_form=form)


@require_POST
def waiver_remove(request, waiver_pk):
    waiver = scoped_object_or_404(
        Waiver.objects.select_related("period", "group"), request.user, VIEW, pk=waiver_pk
    )
    period = _period(request, waiver.period_id, RUN)
    try:
        services.waiver_remove(waiver=waiver, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("scoring:period_detail", args=[period.pk]) + "#completeness")


@require_POST
def period_action(request, pk):
    period = _period(request, pk, RUN)
    action = request.POST.get("action")
    try:
        if action == "compute":
            run = services.score_compute(period=period, by=request.user)
            messages.success(
                request,
                _("Computed: version %(version)s, %(groups)s groups.")
                % {"version": run.version, "groups": run.results.count()},
            )
        elif action == "publish":
            run = services.score_publish(period=period, by=request.user)
            messages.success(
                request, _("Version %(version)s is published.") % {"version": run.version}
            )
        elif action in (PeriodStatus.OPEN, PeriodStatus.SCORING):
            services.period_move(period=period, by=request.user, to=action)
            messages.success(
                request,
                _("The period is now: %(status)s.") % {"status": PeriodStatus(action).label},
            )
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("scoring:period_detail", pk=period.pk)


@reads_from_replica
@require_GET
def ranking(request, pk):
    period = _period(request, pk)
    if period.for_workshops:
        return _workshop_ranking(request, period)
    own = _own_scorecard(request, period)
    if own is not None:
        return own
    run = selectors.run_for(request.user, period, request.GET.get("version"))
    ranking = selectors.ranking(user=request.user, run=run, params=request.GET)
    page, query = paginate(request, ranking.shown)
    return render(
        request,
        "scoring/ranking.html",
        {"period": period, "run": run, "ranking": ranking, "page": page, "query": query},
    )


@reads_from_replica
@require_GET
def ranking_export(request, pk):
    period = _period(request, pk)
    if period.for_workshops:
        return _workshop_ranking_export(request, period)
    if GroupResult.objects.scope(request.user, VIEW).only_group_id is not None:
        raise PermissionDenied  # a group leader reads their own scorecard, not the ranking
    run = selectors.run_for(request.user, period, request.GET.get("version"))
    results = list(selectors.results_of(request.user, run)) if run else []
    criteria = run.scheme if run else []
    rows = []
    for result in results:
        lines = result.breakdown["criteria"]
        points = {c["code"]: Decimal(c["points"]) for c in lines}
        rows.append(
            [
                result.rank,
                result.group.workshop.name,
                result.group.name,
                result.rank_in_workshop,
                *[points.get(c["code"]) for c in criteria],
                sum((Decimal(c.get("bonus", "0")) for c in lines), Decimal(0)),
                sum((Decimal(c.get("deduction", "0")) for c in lines), Decimal(0)),
                result.total,
                result.get_level_display()
                or _("Not accepted (%(stage)s)") % {"stage": result.get_stage_display()},
                _("Yes") if result.top_ten else "",
                "；".join(result.breakdown.get("vetoes", [])),
            ]
        )
    headers = [
        _("Rank"),
        _("Workshop union"),
        _("Union group"),
        _("Rank in the workshop"),
        *[c["name"] for c in criteria],
        _("Bonus counted"),
        _("Deduction counted"),
        _("Total score"),
        pgettext("assessment", "Level"),
        _("Top ten"),
        _("Veto"),
    ]
    version = f"v{run.version}" if run else ""
    return xlsx_response(
        filename=f"{period.name}-{_('ranking')}-{version}.xlsx",
        sheet_title=period.name,
        headers=headers,
        rows=rows,
    )


@require_GET
def scorecard(request, pk, group_pk):
    period = _groups_period(request, pk)
    group, run, result, previous = selectors.scorecard(
        user=request.user, period=period, group_pk=group_pk, version=request.GET.get("version")
    )
    waivers = selectors.waivers_of(period, group)
    return render(
        request,
        "scoring/scorecard.html",
        {
            "period": period,
            "group": group,
            "run": run,
            "result": result,
            "previous": previous,
            "rows": selectors.card_rows(run, result, previous, waivers) if result else [],
            "gates": selectors.gate_lines(result, waivers) if result else [],
            "survey_scored": bool(run) and uses_survey(run.scheme),
            "change": result.total - previous.total if result and previous else None,
        },
    )


@require_GET
def sheet(request, pk, group_pk):
    """考核评分表: the group's lines on one A4 sheet with signature lines; filled in from
    the result the user may read, else blank for scoring by hand on site."""
    period = _groups_period(request, pk)
    group, run, result, previous = selectors.scorecard(
        user=request.user, period=period, group_pk=group_pk, version=request.GET.get("version")
    )
    waivers = selectors.waivers_of(period, group) if result else {}
    rows = selectors.card_rows(run, result, previous, waivers) if result else None
    return render(
        request,
        "scoring/sheet.html",
        {
            "period": period,
            "run": run,
            "result": result,
            "rows": rows or _blank_rows(period.rubric),
            "gates": selectors.gate_lines(result, waivers) if result else [],
            "rubric": run.rubric if run else period.rubric,
            "today": timezone.localdate(),
            "meta": [(_("Workshop union"), group.workshop.name), (_("Union group"), group.name)],
            "back": reverse("scoring:scorecard", args=[period.pk, group.pk]),
            "title": group.name,
        },
    )


def _readable_workshops(user):
    """The workshop unions whose results the user may read (all, or their own)."""
    scope = WorkshopResult.objects.scope(user, VIEW)
    if scope.everything:
        return WorkshopUnion.objects.all()
    return WorkshopUnion.objects.filter(pk__in=sorted(scope.workshop_ids))


def _blank_rows(rubric):
    return [
        {
            "criterion": c,
            "indicators": [(i, None, None) for i in c["indicators"]],
            "span": len(c["indicators"]),
        }
        for c in scheme_of(rubric)
    ]


@require_GET
def workshop_sheet(request, pk, workshop_pk):
    """考核评分表 of a workshop union: filled in from its result the user may read, else
    blank for scoring by hand."""
    period = _period(request, pk)
    if not period.for_workshops:
        raise Http404
    require_reach(WorkshopResult.objects.all(), request.user, VIEW)
    workshop = get_object_or_404(_readable_workshops(request.user), pk=workshop_pk)
    run = selectors.run_for(request.user, period, request.GET.get("version"))
    result = (
        WorkshopResult.objects.restrict(request.user, VIEW)
        .filter(run=run, workshop=workshop)
        .first()
        if run
        else None
    )
    return render(
        request,
        "scoring/sheet.html",
        {
            "period": period,
            "run": run,
            "result": result,
            "rows": selectors.card_rows(run, result, None)
            if result
            else _blank_rows(period.rubric),
            "gates": selectors.gate_lines(result, {}) if result else [],
            "rubric": run.rubric if run else period.rubric,
            "today": timezone.localdate(),
            "meta": [(_("Workshop union"), workshop.name)],
            "back": reverse("scoring:ranking", args=[period.pk]),
            "title": workshop.name,
        },
    )


@require_GET
def latest_scorecard(request, group_pk):
    """A group's card in the latest period with published results (its leader's way in)."""
    require_reach(GroupResult.objects.all(), request.user, VIEW)
    group = get_object_or_404(GroupResult.objects.groups_in_reach(request.user, VIEW), pk=group_pk)
    period = (
        AssessmentPeriod.objects.restrict(request.user, VIEW)
        .filter(subject=Subject.GROUPS)
        .filter(pk__in=ScoreRun.objects.filter(published_at__isnull=False).values("period_id"))
        .order_by("-end")
        .first()
    )
    if period is None:
        messages.info(request, _("No assessment has been published yet."))
        return redirect("groups:group_detail", pk=group.pk)
    return redirect("scoring:scorecard", pk=period.pk, group_pk=group.pk)


# Evaluators ------------------------------------------------------------------------------


def _manual_indicators(period):
    return [
        {**indicator, "criterion": criterion["name"]}
        for criterion in scheme_of(period.rubric)
        for indicator in criterion["indicators"]
        if indicator["kind"] == IndicatorKind.MANUAL
    ]


def _evaluated_groups(user):
    """The groups an evaluator scores: every active group they can see."""
    return (
        UnionGroup.objects.restrict(user, VIEW)
        .filter(is_active=True)
        .select_related("workshop")
        .order_by("workshop__sort_order", "workshop__code", "code")
    )


def _evaluated_workshops(user):
    return (
        WorkshopUnion.objects.restrict(user, VIEW)
        .filter(is_active=True)
        .order_by("sort_order", "code")
    )


@require_GET
def evaluate(request, pk):
    """The evaluator's list: each group (or workshop union) with the lines scored."""
    period = _period(request, pk, EVALUATE)
    indicators = _manual_indicators(period)
    ids = [i["id"] for i in indicators]
    workshop = request.GET.get("workshop", "")
    if period.for_workshops:
        subjects = list(_evaluated_workshops(request.user))
        progress = selectors.evaluator_progress(period, request.user, subjects, ids, "workshop")
        rows = [
            (w.name, reverse("scoring:evaluate_workshop", args=[period.pk, w.pk]), progress[w.pk])
            for w in subjects
        ]
    else:
        groups = list(_evaluated_groups(request.user))
        if id_param(workshop):
            groups = [g for g in groups if g.workshop_id == id_param(workshop)]
        progress = selectors.evaluator_progress(period, request.user, groups, ids)
        rows = [
            (
                f"{g.workshop.name} · {g.name}",
                reverse("scoring:evaluate_group", args=[period.pk, g.pk]),
                progress[g.pk],
            )
            for g in groups
        ]
    unfinished = request.GET.get("unfinished") == "1"
    if unfinished:
        rows = [row for row in rows if row[2] < len(indicators)]
    return render(
        request,
        "scoring/evaluate.html",
        {
            "period": period,
            "rows": rows,
            "needed": len(indicators),
            "workshops": WorkshopUnion.objects.restrict(request.user, VIEW),
            "workshop": workshop,
            "unfinished": unfinished,
        },
    )


def _save_lines(request, period, form, indicators_by_id, field, subject) -> None:
    for indicator, value, comment in form.entries():
        services.manual_score_set(
            period=period,
            indicator=indicators_by_id[indicator["id"]],
            by=request.user,
            points=value,
            max_points=Decimal(indicator["max_points"]),
            comment=comment,
            **{field: subject},
        )


def _desk(request, period, subject, subjects, field, context):
    """The evaluator's desk for one group or workshop union (`field`): the manual lines
    with guidance, "save and next", progress."""
    indicators = _manual_indicators(period)
    existing = {
        s.indicator_id: s
        for s in ManualScore.objects.restrict(request.user, CHANGE).filter(
            period=period, **{field: subject}
        )
    }
    form = ManualScoresForm(request.POST or None, indicators=indicators, existing=existing)
    desk = selectors.evaluator_desk(period, request.user, subjects, indicators, subject, field)
    if request.method == "POST" and form.is_valid():
        indicators_by_id = Indicator.objects.select_related("criterion").in_bulk(
            [i["id"] for i in indicators]
        )
        try:
            with transaction.atomic():  # every line of the group, or none
                _save_lines(request, period, form, indicators_by_id, field, subject)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Scores for %(group)s are saved.") % {"group": subject})
            if "next" in request.POST:
                following = desk.next_group
                if following is not None:
                    return redirect(f"scoring:evaluate_{field}", period.pk, following.pk)
                messages.info(request, _("Every group has your scores for this period."))
            back = reverse("scoring:evaluate", args=[period.pk])
            if field == "group":
                back += f"?workshop={subject.workshop_id}"
            return redirect(back)
    return render(
        request,
        "scoring/evaluate_group.html",
        {"period": period, "form": form, "desk": desk, "subject": subject, **context},
    )


@require_http_methods(["GET", "POST"])
def evaluate_group(request, pk, group_pk):
    period = _period(request, pk, EVALUATE)
    if period.for_workshops:
        raise Http404
    group = get_object_or_404(_evaluated_groups(request.user), pk=group_pk)
    span = f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    links = [
        (_("Activities"), reverse("activities:activity_list") + f"?group={group.pk}&{span}"),
        (_("Monthly reports"), reverse("activities:report_list") + f"?group={group.pk}"),
        (
            _("The group's page (members, small home, records)"),
            reverse("groups:group_detail", args=[group.pk]),
        ),
    ]
    return _desk(
        request,
        period,
        group,
        list(_evaluated_groups(request.user)),
        "group",
        {"title": group.name, "parent": group.workshop.name, "links": links},
    )


@require_http_methods(["GET", "POST"])
def evaluate_workshop(request, pk, workshop_pk):
    period = _period(request, pk, EVALUATE)
    if not period.for_workshops:
        raise Http404
    workshop = get_object_or_404(_evaluated_workshops(request.user), pk=workshop_pk)
    span = f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    links = [
        (
            _("Activities"),
            reverse("activities:activity_list") + f"?workshop={workshop.pk}&{span}",
        ),
        (_("Monthly reports"), reverse("activities:report_list") + f"?workshop={workshop.pk}"),
        (_("The workshop union's page"), reverse("groups:workshop_detail", args=[workshop.pk])),
    ]
    return _desk(
        request,
        period,
        workshop,
        list(_evaluated_workshops(request.user)),
        "workshop",
        {"title": workshop.name, "parent": _("Workshop union"), "links": links},
    )


# Vetoes -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def vetoes(request, pk):
    period = _groups_period(request, pk, RUN)
    form = VetoForm(request.POST or None, items=VetoItem.objects.filter(version=period.rubric_id))
    if request.method == "POST":
        if "remove" in request.POST:
            veto = get_object_or_404(period.vetoes, pk=request.POST["remove"])
            try:
                services.veto_remove(veto=veto, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("scoring:vetoes", pk=period.pk)
        if form.is_valid():
            group = get_object_or_404(
                UnionGroup.objects.restrict(request.user, VIEW), pk=form.cleaned_data["group"]
            )
            try:
                services.veto_add(
                    period=period,
                    group=group,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    happened_on=form.cleaned_data["happened_on"],
                    item=form.cleaned_data["item"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The veto item is recorded."))
                return redirect("scoring:vetoes", pk=period.pk)
    return render(
        request,
        "scoring/vetoes.html",
        {
            "period": period,
            "form": form,
            "vetoes": period.vetoes.select_related("group__workshop", "recorded_by", "item"),
            "groups": UnionGroup.objects.restrict(request.user, VIEW)
            .filter(is_active=True)
            .select_related("workshop"),
        },
    )


# Ballots ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def ballots(request, pk):
    """Issue ballots for the groups in the user's reach, and see the turnout so far."""
    period = _groups_period(request, pk, ISSUE_BALLOTS)
    user = request.user
    groups = list(
        Ballot.objects.groups_in_reach(user, ISSUE_BALLOTS)
        .filter(is_active=True)
        .select_related("workshop")
    )
    if request.method == "POST":
        group = get_object_or_404(
            Ballot.objects.groups_in_reach(user, ISSUE_BALLOTS), pk=request.POST.get("group")
        )
        form = BallotIssueForm(request.POST)
        if form.is_valid():
            try:
                codes = services.ballots_issue(
                    period=period, group=group, by=user, **form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return _slips(request, period, group, codes)
    progress = selectors.survey_progress(period, groups)
    rows = [(g, progress[g.pk]) for g in groups]
    without = request.GET.get("without") == "1"
    if without:
        rows = [(g, p) for g, p in rows if not p["issued"]]
    return render(
        request,
        "scoring/ballots.html",
        {"period": period, "rows": rows, "form": BallotIssueForm(), "without": without},
    )


def _slips(request, period, group, codes):
    slips = []
    for code in codes:
        url = request.build_absolute_uri(reverse("scoring:ballot", args=[code]))
        qr = segno.make(url, error="m")
        slips.append(
            {
                "code": code,
                "url": url,
                "qr": mark_safe(qr.svg_inline(scale=3, border=1, omitsize=True)),
            }
        )
    return render(
        request,
        "scoring/slips.html",
        {
            "period": period,
            "group": group,
            "slips": slips,
            "entry_url": request.build_absolute_uri(reverse("scoring:ballot_entry")),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def ballot_entry(request):
    """Type the code from the slip (for those who cannot scan the QR code)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("scoring:ballot", code=form.cleaned_data["code"].strip().upper())
    return render(request, "scoring/ballot_entry.html", {"form": form})


STATUS_FOR = {"unknown": 404, "used": 410, "voided": 410, "expired": 410}


@login_not_required
@require_http_methods(["GET", "POST"])
def ballot(request, code):
    """The ballot itself: no login, one vote, nothing that identifies the voter."""
    try:
        ballot = services.ballot_lookup(code)
    except services.BallotRefused as refused:
        return render(
            request,
            "scoring/ballot_closed.html",
            {"message": refused.messages[0]},
            status=STATUS_FOR.get(refused.code, 400),
        )
    questions = list(SurveyQuestion.objects.filter(version=ballot.period.rubric_id))
    form = BallotForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        choices=list(SurveyChoice.objects.filter(version=ballot.period.rubric_id)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_submit(
                code=code, answers=form.answers(), comment=form.cleaned_data["comment"]
            )
        except services.BallotRefused as refused:
            return render(
                request,
                "scoring/ballot_closed.html",
                {"message": refused.messages[0]},
                status=STATUS_FOR.get(refused.code, 400),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "scoring/ballot_thanks.html", {"ballot": ballot})
    return render(request, "scoring/ballot.html", {"ballot": ballot, "form": form})


# Bonuses and deductions ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def adjustments(request, pk):
    """HQ enters the period's bonuses and deductions, each with its evidence."""
    period = _groups_period(request, pk, RUN)
    groups = (
        UnionGroup.objects.restrict(request.user, VIEW)
        .filter(is_active=True)
        .select_related("workshop")
        .order_by("workshop__sort_order", "workshop__code", "code")
    )
    items = selectors.adjustment_items(period)
    form = AdjustmentForm(request.POST or None, request.FILES or None, groups=groups, items=items)
    if request.method == "POST" and "remove" in request.POST:
        entry = get_object_or_404(period.adjustments, pk=request.POST["remove"])
        try:
            services.adjustment_remove(adjustment=entry, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The entry is removed; compute the results again."))
        return redirect("scoring:adjustments", pk=period.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjustment_add(
                period=period,
                group=data["group"],
                item=data["item"],
                by=request.user,
                points=data["points"],
                reason=data["reason"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The entry is recorded; compute the results again."))
            return redirect("scoring:adjustments", pk=period.pk)
    return render(
        request,
        "scoring/adjustments.html",
        {
            "period": period,
            "form": form,
            "items": items,
            "entries": selectors.adjustments_of(period),
        },
    )


@require_GET
def adjustment_evidence(request, pk):
    """The evidence of a bonus or deduction, for those who may read the group's card."""
    entry = scoped_object_or_404(
        Adjustment.objects.select_related("period"), request.user, VIEW, pk=pk
    )
    period = _period(request, entry.period_id, VIEW)
    if not allows(request.user, SEE_DRAFTS, period):
        # Readers of published cards see the evidence of the entries a published card shows.
        run = selectors.latest_published_run(period)
        shown = GroupResult.objects.filter(run=run, group_id=entry.group_id).first()
        if shown is None or entry.pk not in selectors.adjustment_entry_ids(shown):
            raise Http404
    return file_response(
        entry.evidence,
        content_type=entry.evidence_mime or "application/octet-stream",
        filename=entry.evidence_name,
        inline=entry.evidence_mime.startswith("image/") or entry.evidence_mime == "application/pdf",
    )


# Composed measures ------------------------------------------------------------------------

PREVIEW_GROUPS = 8


@require_GET
def measure_preview(request):
    """The values of a measure as filled in on the admin form, for a few groups this year
    so far; nothing is saved. HQ only, as the rubric is."""
    require_reach(AssessmentPeriod.objects.all(), request.user, RUN)
    form = MeasureAdminForm(request.GET)
    form.is_valid()
    problems = {
        name: errors for name, errors in form.errors.items() if name not in ("name", "code")
    }
    rows = []
    measure = None
    if not problems:
        data = form.cleaned_data
        measure = Measure(
            name=data.get("name") or "",
            kind=data["kind"],
            source=data["source"],
            option=data.get("option", ""),
            per=data["per"],
            span=data.get("span", ""),
        )
        today = timezone.localdate()
        groups = list(_evaluated_groups(request.user)[:PREVIEW_GROUPS])
        rows = measures.preview(measure, groups, start=today.replace(month=1, day=1), end=today)
    return render(
        request,
        "scoring/measure_preview.html",
        {
            "problems": problems,
            "rows": rows,
            "unit": measures.unit_of(measure) if measure else "",
            "definition": measures.in_words(measure) if measure else "",
        },
    )


# Workshop unions' assessment (十佳车间工会) -----------------------------------------------


def _workshop_ranking(request, period):
    require_reach(WorkshopResult.objects.all(), request.user, VIEW)
    run = selectors.run_for(request.user, period, request.GET.get("version"))
    return render(
        request,
        "scoring/workshop_ranking.html",
        {
            "period": period,
            "run": run,
            "results": selectors.workshop_results_of(request.user, run) if run else [],
        },
    )


def _workshop_ranking_export(request, period):
    require_reach(WorkshopResult.objects.all(), request.user, VIEW)
    run = selectors.run_for(request.user, period, request.GET.get("version"))
    results = list(selectors.workshop_results_of(request.user, run)) if run else []
    criteria = run.scheme if run else []
    rows = []
    for result in results:
        points = {c["code"]: Decimal(c["points"]) for c in result.breakdown["criteria"]}
        rows.append(
            [
                result.rank,
                result.workshop.name,
                *[points.get(c["code"]) for c in criteria],
                result.total,
                result.get_level_display(),
                _("Yes") if result.top_ten else "",
            ]
        )
    headers = [
        _("Rank"),
        _("Workshop union"),
        *[c["name"] for c in criteria],
        _("Total score"),
        pgettext("assessment", "Level"),
        period.top_list_name,
    ]
    return xlsx_response(
        filename=f"{period.name}-{period.top_list_name}.xlsx",
        sheet_title=period.name,
        headers=headers,
        rows=rows,
    )


def _workshop_result(request, pk, workshop_pk):
    period = _period(request, pk)
    if not period.for_workshops:
        raise Http404
    run = selectors.run_for(request.user, period, request.GET.get("version"))
    result = get_object_or_404(
        WorkshopResult.objects.restrict(request.user, VIEW).select_related("workshop"),
        run=run,
        workshop_id=workshop_pk,
    )
    return period, run, result


@require_GET
def workshop_card(request, pk, workshop_pk):
    """A workshop union's result line by line, in the period that assessed it."""
    period, run, result = _workshop_result(request, pk, workshop_pk)
    return render(
        request,
        "scoring/workshop_card.html",
        {
            "period": period,
            "run": run,
            "result": result,
            "rows": selectors.card_rows(run, result, None),
            "gates": selectors.gate_lines(result, {}),
        },
    )


@require_GET
def workshop_certificate(request, pk, workshop_pk):
    """The certificate of a workshop union on the period's published top list."""
    period = _period(request, pk)
    run = selectors.latest_published_run(period) if period.for_workshops else None
    result = get_object_or_404(
        WorkshopResult.objects.restrict(request.user, VIEW).select_related("workshop"),
        run=run,
        workshop_id=workshop_pk,
        top_ten=True,
    )
    return render(
        request,
        "scoring/workshop_certificate.html",
        {"period": period, "run": run, "result": result},
    )
