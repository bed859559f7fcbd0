"""The steps of a 小家's creation and its yearly re-check. Each step is one transaction:
the record it changes is locked (and its version checked), the step is written to the
group's timeline with who, when and why, and the group's stage and title follow."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from accounts.scoping import (
    CHANGE,
    VIEW,
    allows,
    grants_changed,
    require_allowed,
    require_reach,
)
from activities.models import ContentArea
from groups.models import (
    LEVEL_ORDER,
    HomeLevel,
    HomeStage,
    Member,
    MemberStatus,
    UnionGroup,
)
from scoring import engine
from scoring.services import rubric_put_in_use
from unionhome import uploads
from unionhome.dates import day_label

from .models import (
    ASSIGN,
    CONFIRM,
    INSPECT,
    REVIEW,
    SIGN_OFF,
    ChecklistItem,
    CreationPlan,
    CreationYear,
    Declaration,
    DeclarationFile,
    DeclarationKind,
    DeclarationStatus,
    HomeEvent,
    HomeStep,
    HomeTitle,
    Inspection,
    InspectionPanel,
    InspectionPhoto,
    NamingDocument,
    Notice,
    Objection,
    PanelRule,
    PlanStatus,
    RecheckOutcome,
    RecommendationQuota,
    TitleEnd,
)

CENT = Decimal("0.01")


class ConcurrentChange(ValidationError):
    """Somebody else took a step on the record since the user opened it."""


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level else -1


def level_name(level: str) -> str:
    return str(HomeLevel(level).label) if level else "—"


# The group's stage and timeline --------------------------------------------------------


def _event(
    group, step, by, *, note="", declaration=None, plan=None, level="", points=None, detail=""
) -> HomeEvent:
    return HomeEvent.objects.create(
        group=group,
        step=step,
        level=level,
        points=points,
        detail=str(detail)[:100],
        stage=group.home_stage,
        note=str(note).strip(),
        by=by,
        declaration=declaration,
        plan=plan,
    )


def _move(group: UnionGroup, by, *, stage=None, level=None, started_on=None, accepted_on=None):
    """Set the group's stage (and title): the summary the rest of the application reads."""
    group = UnionGroup.objects.select_for_update().get(pk=group.pk)
    if stage is not None:
        group.home_stage = stage
    if level is not None:
        group.home_level = level
    if started_on is not None and group.home_started_on is None:
        group.home_started_on = started_on
    if accepted_on is not None and group.home_accepted_on is None:
        group.home_accepted_on = accepted_on
    group.full_clean()
    group._history_user = by
    group.save()
    return group


def _stage_after_return(group: UnionGroup, fallback: str) -> str:
    """A group that holds a title stays named while a declaration for a higher one is
    sent back; the others go back to the step before."""
    return HomeStage.NAMED if group.home_level and fallback == HomeStage.BUILDING else fallback


def _year(year: int) -> CreationYear:
    found = CreationYear.objects.filter(year=year).first()
    if found is None:
        raise ValidationError(
            _("HQ has not opened %(year)s for small home creation yet.") % {"year": year}
        )
    return found


def _locked(model, obj, version: int | None):
    """The record locked for a step, if nobody took a step on it since it was read."""
    locked = (
        model.objects.select_for_update(of=("self",))
        .select_related("group__workshop")
        .get(pk=obj.pk)
    )
    if version is not None and locked.version != version:
        last = HomeEvent.objects.filter(group=locked.group).select_related("by").last()
        raise ConcurrentChange(
            _(
                "%(who)s took a step on this at %(when)s while you were working on it; look at "
                "it again before you act."
            )
            % {
                "who": last.by.name if last and last.by else "",
                "when": timezone.localtime(last.at).strftime("%H:%M") if last else "",
            }
        )
    return locked


def _touch(obj, by):
    # A declaration's step may give or take a panel member's inspector role.
    grants_changed()
    obj.version += 1
    if hasattr(obj, "last_step_at"):
        obj.last_step_at = timezone.now()
    obj._history_user = by
    obj.full_clean()
    obj.save()


# 创建方案 ----------------------------------------------------------------------------------


def _check_core(group: UnionGroup, core) -> list[dict]:
    """The 骨干: [{"member": id, "post": text}] of active members of the group."""
    ids = [int(entry["member"]) for entry in core]
    members = {
        m.pk: m for m in Member.objects.filter(pk__in=ids, group=group, status=MemberStatus.ACTIVE)
    }
    if len(members) != len(set(ids)):
        raise ValidationError({"core": _("Choose active members of this group.")})
    checked = []
    for entry in core:
        post = str(entry.get("post", "")).strip()
        if not post:
            raise ValidationError({"core": _("Give each core member's post.")})
        member = members[int(entry["member"])]
        checked.append({"member": member.pk, "name": member.name, "post": post[:30]})
    return checked


def _check_measures(measures: dict) -> dict:
    codes = set(ContentArea.objects.filter(is_active=True).values_list("code", flat=True))
    unknown = set(measures) - codes
    if unknown:
        raise ValueError(f"unknown content areas {sorted(unknown)}")
    return {code: text.strip() for code, text in measures.items() if text.strip()}


@transaction.atomic
def plan_save(
    *,
    group: UnionGroup,
    year: int,
    by,
    target_level: str,
    rules: str,
    core: list,
    measures: dict,
    rules_file=None,
    version: int | None = None,
) -> CreationPlan:
    """Write the group's 创建方案 for the year (a draft until it is submitted)."""
    _year(year)
    group = UnionGroup.objects.select_for_update().get(pk=group.pk)
    plan = CreationPlan.objects.filter(group=group, year=year).first()
    if plan is None:
        plan = CreationPlan(group=group, year=year, filed_by=by)
        require_allowed(by, CHANGE, plan)
    else:
        plan = _locked(CreationPlan, plan, version)
        require_allowed(by, CHANGE, plan)
        if not plan.is_editable:
            raise ValidationError(_("The plan is with the workshop union or approved already."))
    plan.target_level = target_level
    plan.rules = rules.strip()
    plan.core = _check_core(group, core)
    plan.measures = _check_measures(measures)
    if rules_file is not None:
        file_type = uploads.validate_upload(rules_file)
        plan.rules_file.save(f"rules.{file_type.extension}", rules_file, save=False)
        plan.rules_file_name = rules_file.name[:200]
    if plan.pk is None:
        plan.full_clean()
        plan._history_user = by
        plan.save()
        _event(group, HomeStep.PLAN_DRAFTED, by, plan=plan)
    else:
        _touch(plan, by)
    return plan


@transaction.atomic
def plan_submit(*, plan: CreationPlan, by, version: int) -> CreationPlan:
    plan = _locked(CreationPlan, plan, version)
    require_allowed(by, CHANGE, plan)
    if not plan.is_editable:
        raise ValidationError(_("The plan is with the workshop union or approved already."))
    errors = {}
    if not plan.rules:
        errors["rules"] = _("Write the group's working rules.")
    if not plan.core:
        errors["core"] = _("Name the core members and their posts.")
    if not plan.measures:
        errors["measures"] = _("Give the measures for at least one content area.")
    if errors:
        raise ValidationError(errors)
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.return_reason = ""
    _touch(plan, by)
    _event(plan.group, HomeStep.PLAN_SUBMITTED, by, plan=plan)
    return plan


def plan_may_review(*, plan: CreationPlan, user) -> bool:
    """The workshop union (or HQ) approves or returns a submitted plan it did not file."""
    return (
        plan.status == PlanStatus.SUBMITTED
        and plan.filed_by_id != user.pk
        and allows(user, REVIEW, plan)
    )


def _require_plan_review(plan, by):
    require_allowed(by, REVIEW, plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("This plan is not waiting for review."))
    if not plan_may_review(plan=plan, user=by):
        raise ValidationError(_("Nobody reviews a plan they filed themselves."))


@transaction.atomic
def plan_approve(*, plan: CreationPlan, by, version: int, note: str = "") -> CreationPlan:
    """The workshop union approves the plan: the group's 小家 is being built (创建中)."""
    plan = _locked(CreationPlan, plan, version)
    _require_plan_review(plan, by)
    plan.status = PlanStatus.APPROVED
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    _touch(plan, by)
    group = plan.group
    if group.home_stage == HomeStage.NOT_STARTED:
        group = _move(group, by, stage=HomeStage.BUILDING, started_on=timezone.localdate())
    _event(group, HomeStep.PLAN_APPROVED, by, note=note, plan=plan)
    return plan


@transaction.atomic
def plan_return(*, plan: CreationPlan, by, version: int, reason: str) -> CreationPlan:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan goes back.")})
    plan = _locked(CreationPlan, plan, version)
    _require_plan_review(plan, by)
    plan.status = PlanStatus.RETURNED
    plan.return_reason = reason.strip()
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    _touch(plan, by)
    _event(plan.group, HomeStep.PLAN_RETURNED, by, note=reason, plan=plan)
    return plan


# 自评申报 ----------------------------------------------------------------------------------


def _computed_values(scheme, group: UnionGroup, start: date, end: date) -> dict:
    """Each computed indicator's value and points for the group over the span."""
    figures = engine.computed_figures(scheme, group_ids=[group.pk], start=start, end=end)
    values = {}
    for criterion in scheme:
        for indicator in criterion["indicators"]:
            if indicator["kind"] != "computed":
                continue
            value = figures.get(indicator["metric"], {}).get(group.pk)
            _fraction, earned = engine.line_points(indicator, value)
            values[indicator["code"]] = {
                "value": str(value) if value is not None else None,
                "points": str(earned),
            }
    return values


def in_window(year: CreationYear, day: date) -> bool:
    return year.declarations_open <= day <= year.declarations_close


def _check_window(year: CreationYear) -> None:
    today = timezone.localdate()
    if not in_window(year, today):
        raise ValidationError(
            _("Declarations for %(year)s are taken from %(open)s to %(close)s.")
            % {
                "year": year.year,
                "open": day_label(year.declarations_open),
                "close": day_label(year.declarations_close),
            }
        )


@transaction.atomic
def declaration_open(*, group: UnionGroup, year: int, by) -> Declaration:
    """Start the group's 自评申报 for the year, on the year's rubric, from its approved plan."""
    creation_year = _year(year)
    group = UnionGroup.objects.select_for_update().get(pk=group.pk)
    declaration = Declaration(
        group=group, year=creation_year, kind=DeclarationKind.ACCEPTANCE, created_by=by
    )
    require_allowed(by, CHANGE, declaration)
    _check_window(creation_year)
    if Declaration.objects.filter(
        group=group, year=creation_year, kind=DeclarationKind.ACCEPTANCE
    ).exists():
        raise ValidationError(_("The group has declared for %(year)s already.") % {"year": year})
    plan = CreationPlan.objects.filter(group=group, year=year, status=PlanStatus.APPROVED).first()
    if plan is None:
        raise ValidationError(
            _("The group's plan for %(year)s must be approved by its workshop union first.")
            % {"year": year}
        )
    if group.home_level and _level_rank(plan.target_level) <= _level_rank(group.home_level):
        raise ValidationError(
            _("The small home is %(level)s already; a declaration aims higher.")
            % {"level": level_name(group.home_level)}
        )
    rubric_put_in_use(rubric=creation_year.rubric, by=by)
    scheme = engine.scheme_of(creation_year.rubric)
    declaration.rubric = creation_year.rubric
    declaration.plan = plan
    declaration.target_level = plan.target_level
    declaration.scheme = scheme
    computed = _computed_values(scheme, group, creation_year.start, timezone.localdate())
    declaration.lines = {
        indicator["code"]: {
            "self": None,
            "comment": "",
            "evidence": [],
            "workshop_comment": "",
            "computed": computed.get(indicator["code"]),
        }
        for criterion in scheme
        for indicator in criterion["indicators"]
    }
    declaration.full_clean()
    declaration._history_user = by
    declaration.save()
    _event(group, HomeStep.SELF_ASSESSMENT, by, declaration=declaration)
    return declaration


def _max_points(declaration: Declaration) -> dict[str, Decimal]:
    return {
        indicator["code"]: Decimal(indicator["max_points"])
        for _criterion, indicator in declaration.indicators()
    }


@transaction.atomic
def declaration_save(
    *, declaration: Declaration, by, version: int, lines: dict, summary: str
) -> Declaration:
    """Save the self-assessment: per line the points the group gives itself (0 to the
    line's maximum), a comment and the evidence it points to."""
    declaration = _locked(Declaration, declaration, version)
    require_allowed(by, CHANGE, declaration)
    if not declaration.is_editable:
        raise ValidationError(_("The declaration is with the reviewers; it cannot be changed."))
    maxima = _max_points(declaration)
    errors = {}
    for code, entry in lines.items():
        if code not in maxima:
            raise ValueError(f"{code} is not a line of this declaration")
        points = entry.get("self")
        if points is not None and not (0 <= Decimal(points) <= maxima[code]):
            errors[f"self_{code}"] = _("Give between 0 and %(max)s points.") % {"max": maxima[code]}
        line = declaration.lines[code]
        line["self"] = str(Decimal(points).quantize(CENT)) if points is not None else None
        line["comment"] = str(entry.get("comment", "")).strip()[:500]
        line["evidence"] = list(entry.get("evidence", []))[:50]
    if errors:
        raise ValidationError(errors)
    declaration.summary = summary.strip()
    declaration.self_total = sum(
        (Decimal(line["self"]) for line in declaration.lines.values() if line["self"]), Decimal(0)
    )
    _touch(declaration, by)
    return declaration


@transaction.atomic
def declaration_add_file(*, declaration: Declaration, by, uploaded) -> DeclarationFile:
    declaration = Declaration.objects.select_related("group").get(pk=declaration.pk)
    require_allowed(by, CHANGE, declaration)
    if not declaration.is_editable:
        raise ValidationError(_("The declaration is with the reviewers; it cannot be changed."))
    file_type = uploads.validate_upload(uploaded)
    uploads.validate_total([*(f.size for f in declaration.files.all()), uploaded.size])
    document = DeclarationFile(
        declaration=declaration,
        original_name=uploaded.name[:200],
        kind=file_type.kind,
        mime=file_type.mime,
        size=uploaded.size,
        uploaded_by=by,
    )
    document.file.save(f"evidence.{file_type.extension}", uploaded, save=False)
    document.save()
    return document


@transaction.atomic
def declaration_submit(*, declaration: Declaration, by, version: int) -> Declaration:
    """申报: within the year's window, every line scored and the work summarised."""
    declaration = _locked(Declaration, declaration, version)
    require_allowed(by, CHANGE, declaration)
    if not declaration.is_editable:
        raise ValidationError(_("The declaration is with the reviewers already."))
    _check_window(declaration.year)
    missing = [
        indicator["name"]
        for _criterion, indicator in declaration.indicators()
        if declaration.lines[indicator["code"]]["self"] is None
    ]
    if missing:
        raise ValidationError(
            _("Score every line first; missing: %(lines)s.") % {"lines": "、".join(missing)}
        )
    if not declaration.summary:
        raise ValidationError({"summary": _("Summarise the group's work (事迹材料).")})
    # The computed values as they stand on the day of the declaration.
    computed = _computed_values(
        declaration.scheme, declaration.group, declaration.year.start, timezone.localdate()
    )
    for code, line in declaration.lines.items():
        line["computed"] = computed.get(code)
    declaration.status = DeclarationStatus.DECLARED
    _touch(declaration, by)
    group = _move(declaration.group, by, stage=HomeStage.DECLARED)
    _event(group, HomeStep.DECLARED, by, declaration=declaration)
    return declaration


def quota_left(*, year: CreationYear, workshop, level: str, excluding=None) -> tuple[int, int]:
    """(the workshop union's quota for the title this year, recommendations used).
    A quota for the workshop union itself comes before the one for every workshop union;
    without either there is no limit (the quota is the number of its groups)."""
    quotas = {q.workshop_id: q for q in RecommendationQuota.objects.filter(year=year, level=level)}
    quota = quotas.get(workshop.pk) or quotas.get(None)
    groups = UnionGroup.objects.filter(workshop=workshop, is_active=True).count()
    if quota is None:
        allowed = groups
    elif quota.count is not None:
        allowed = quota.count
    else:
        allowed = int((quota.share * groups / 100).to_integral_value(rounding=ROUND_DOWN))
    used = (
        Declaration.objects.filter(
            year=year,
            kind=DeclarationKind.ACCEPTANCE,
            group__workshop=workshop,
            recommended_level=level,
        )
        .exclude(status__in=[DeclarationStatus.DRAFT, DeclarationStatus.DECLARED])
        .exclude(pk=getattr(excluding, "pk", None))
        .count()
    )
    return allowed, used


@transaction.atomic
def declaration_recommend(
    *,
    declaration: Declaration,
    by,
    version: int,
    level: str,
    opinion: str,
    comments: dict | None = None,
) -> Declaration:
    """车间审核推荐: the workshop union comments per line and recommends a title, within
    its quota for the year."""
    declaration = _locked(Declaration, declaration, version)
    require_allowed(by, REVIEW, declaration)
    if declaration.status != DeclarationStatus.DECLARED:
        raise ValidationError(_("This declaration is not waiting for the workshop union."))
    if _level_rank(level) > _level_rank(declaration.target_level):
        raise ValidationError(
            {
                "level": _("The group applied for %(level)s; recommend that or lower.")
                % {"level": level_name(declaration.target_level)}
            }
        )
    # Serialise recommendations of one workshop union, so two at once cannot both fit.
    workshop = declaration.group.workshop
    type(workshop).objects.select_for_update().get(pk=workshop.pk)
    allowed, used = quota_left(
        year=declaration.year, workshop=workshop, level=level, excluding=declaration
    )
    if used >= allowed:
        raise ValidationError(
            {
                "level": _(
                    "%(workshop)s may recommend %(allowed)s groups for %(level)s in %(year)s "
                    "and has recommended %(used)s already."
                )
                % {
                    "workshop": workshop.name,
                    "allowed": allowed,
                    "level": level_name(level),
                    "year": declaration.year.year,
                    "used": used,
                }
            }
        )
    for code, comment in (comments or {}).items():
        if code in declaration.lines:
            declaration.lines[code]["workshop_comment"] = str(comment).strip()[:500]
    declaration.recommended_level = level
    declaration.workshop_opinion = opinion.strip()
    declaration.status = DeclarationStatus.RECOMMENDED
    _touch(declaration, by)
    group = _move(declaration.group, by, stage=HomeStage.RECOMMENDED)
    _event(
        group,
        HomeStep.RECOMMENDED,
        by,
        level=level,
        note=opinion,
        declaration=declaration,
    )
    return declaration


# The step before each step, its stage, and who sends a declaration back to it.
RETURNS = {
    DeclarationStatus.DECLARED: (DeclarationStatus.DRAFT, HomeStage.BUILDING, REVIEW),
    DeclarationStatus.RECOMMENDED: (DeclarationStatus.DECLARED, HomeStage.DECLARED, ASSIGN),
    DeclarationStatus.INSPECTING: (DeclarationStatus.RECOMMENDED, HomeStage.RECOMMENDED, SIGN_OFF),
    DeclarationStatus.ACCEPTED: (DeclarationStatus.INSPECTING, HomeStage.INSPECTING, CONFIRM),
    DeclarationStatus.SIGNED_OFF: (DeclarationStatus.INSPECTING, None, CONFIRM),
}
# A re-check is opened by HQ: it goes back only to its panel (the group's stage stays).
RECHECK_RETURNS = {DeclarationStatus.INSPECTING, DeclarationStatus.SIGNED_OFF}


def _return_step(declaration: Declaration):
    if declaration.is_recheck:
        return RETURNS[declaration.status] if declaration.status in RECHECK_RETURNS else None
    if declaration.status == DeclarationStatus.SIGNED_OFF:
        return None
    return RETURNS.get(declaration.status)


def declaration_may_return(*, declaration: Declaration, user) -> bool:
    step = _return_step(declaration)
    return step is not None and (
        allows(user, step[2], declaration)
        or (step[2] == SIGN_OFF and allows(user, CONFIRM, declaration))
    )


@transaction.atomic
def declaration_return(*, declaration: Declaration, by, version: int, reason: str) -> Declaration:
    """退回: a review step sends the declaration back to the step before, with a reason.
    The workshop union returns a declaration to the group, HQ a recommendation to the
    workshop union, the panel's leader (or HQ) an inspection it does not accept, HQ an
    accepted one before its notice, or a signed-off re-check to its panel."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it goes back.")})
    declaration = _locked(Declaration, declaration, version)
    step = _return_step(declaration)
    if step is None:
        raise ValidationError(_("This declaration cannot be sent back now."))
    if not declaration_may_return(declaration=declaration, user=by):
        require_allowed(by, step[2], declaration)
    status, stage, _action = step
    if declaration.status == DeclarationStatus.INSPECTING:
        declaration.panel = None
    if declaration.status in (DeclarationStatus.ACCEPTED, DeclarationStatus.SIGNED_OFF):
        declaration.panel_total = None
        declaration.proposed_level = ""
        declaration.signed_off_by = None
        declaration.signed_off_at = None
    declaration.status = status
    _touch(declaration, by)
    group = declaration.group
    if stage is not None and not declaration.is_recheck:
        group = _move(group, by, stage=_stage_after_return(group, stage))
    _event(
        group,
        HomeStep.SENT_BACK,
        by,
        detail=status,
        note=reason,
        declaration=declaration,
    )
    return declaration


# 考评小组验收 ------------------------------------------------------------------------------


def own_workshops(user) -> set[int]:
    """The workshop unions a user belongs to through a stored role (its union's staff, or
    a group leader in it): the groups they may never inspect."""
    workshops = set()
    for assignment in RoleAssignment.objects.filter(user=user).select_related("group"):
        if assignment.workshop_id:
            workshops.add(assignment.workshop_id)
        if assignment.group_id:
            workshops.add(assignment.group.workshop_id)
    return workshops


def _check_panel_against(panel: InspectionPanel, members, declarations) -> None:
    """Nobody inspects a group of their own workshop union."""
    people = list(members)
    conflicts = []
    for person in people:
        own = own_workshops(person)
        for declaration in declarations:
            if declaration.group.workshop_id in own:
                conflicts.append(
                    _("%(person)s belongs to %(workshop)s, the workshop union of %(group)s.")
                    % {
                        "person": person.name or person.username,
                        "workshop": declaration.group.workshop.name,
                        "group": declaration.group.name,
                    }
                )
    if conflicts:
        raise ValidationError(
            " ".join(conflicts) + " " + _("Nobody inspects a group of their own workshop union.")
        )


@transaction.atomic
def panel_save(
    *,
    year: CreationYear,
    by,
    name: str,
    leader,
    members: list,
    rule: str,
    panel: InspectionPanel | None = None,
) -> InspectionPanel:
    """Form (or change) an inspection panel of the year. The leader is one of its members."""
    require_reach(Declaration.objects.all(), by, ASSIGN)
    people = list({m.pk: m for m in [leader, *members]}.values())
    if panel is None:
        panel = InspectionPanel(year=year)
    else:
        panel = InspectionPanel.objects.select_for_update().get(pk=panel.pk)
        assigned = list(panel.declarations.select_related("group__workshop"))
        _check_panel_against(panel, people, assigned)
    panel.name = name.strip()
    panel.leader = leader
    panel.rule = rule
    panel.full_clean()
    panel._history_user = by
    panel.save()
    panel.members.set(people)
    grants_changed()
    return panel


@transaction.atomic
def declaration_assign(
    *, declaration: Declaration, by, version: int, panel: InspectionPanel
) -> Declaration:
    """HQ gives a recommended declaration (or an opened re-check) to a panel of its year."""
    declaration = _locked(Declaration, declaration, version)
    require_allowed(by, ASSIGN, declaration)
    if declaration.status != DeclarationStatus.RECOMMENDED:
        raise ValidationError(_("This declaration is not waiting for a panel."))
    if panel.year_id != declaration.year_id:
        raise ValidationError({"panel": _("Choose a panel of the same year.")})
    members = list(panel.members.all())
    _check_panel_against(panel, members, [declaration])
    declaration.panel = panel
    declaration.status = DeclarationStatus.INSPECTING
    _touch(declaration, by)
    group = declaration.group
    if declaration.kind == DeclarationKind.ACCEPTANCE:
        group = _move(group, by, stage=HomeStage.INSPECTING)
    _event(
        group,
        HomeStep.ASSIGNED,
        by,
        detail=panel.name,
        declaration=declaration,
    )
    return declaration


def checklist_for(declaration: Declaration):
    use = (
        ChecklistItem.Use.RECHECK
        if declaration.kind == DeclarationKind.RECHECK
        else ChecklistItem.Use.ACCEPTANCE
    )
    return list(ChecklistItem.objects.filter(use=use, is_active=True))


def inspection_may_record(*, declaration: Declaration, user) -> bool:
    """A member of the declaration's panel, while the panel inspects it."""
    return (
        declaration.status == DeclarationStatus.INSPECTING
        and declaration.panel_id is not None
        and allows(user, INSPECT, declaration)
        and declaration.panel.members.filter(pk=user.pk).exists()
    )


@transaction.atomic
def inspection_save(
    *,
    declaration: Declaration,
    by,
    scores: dict,
    checks: dict,
    remarks: str = "",
    inspected_on: date | None = None,
    photos=(),
    submit: bool = False,
) -> Inspection:
    """A panel member's inspection: points per line, the 台账 checklist, remarks and
    photos. Submitted, it counts for the panel's result (it can be corrected until the
    leader signs off)."""
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("panel", "group")
        .get(pk=declaration.pk)
    )
    require_allowed(by, INSPECT, declaration)
    if not inspection_may_record(declaration=declaration, user=by):
        raise ValidationError(_("This declaration is not with your panel for inspection."))
    inspection, _created = Inspection.objects.get_or_create(declaration=declaration, inspector=by)
    maxima = _max_points(declaration)
    errors = {}
    kept = {}
    for code, points in scores.items():
        if code not in maxima:
            raise ValueError(f"{code} is not a line of this declaration")
        if points is None:
            continue
        if not 0 <= Decimal(points) <= maxima[code]:
            errors[f"points_{code}"] = _("Give between 0 and %(max)s points.") % {
                "max": maxima[code]
            }
        kept[code] = str(Decimal(points).quantize(CENT))
    items = {str(item.pk): item for item in checklist_for(declaration)}
    answered = {}
    for key, answer in checks.items():
        if str(key) in items and answer.get("passed") is not None:
            answered[str(key)] = {
                "passed": bool(answer["passed"]),
                "note": str(answer.get("note", "")).strip()[:200],
            }
    if submit:
        if set(kept) != set(maxima):
            errors.setdefault("__all__", []).append(_("Score every line before submitting."))
        if set(answered) != set(items):
            errors.setdefault("__all__", []).append(
                _("Answer every item of the checklist before submitting.")
            )
        if inspected_on is None:
            errors["inspected_on"] = _("Enter the day of the inspection.")
    if errors:
        raise ValidationError(errors)
    inspection.scores = kept
    inspection.checks = answered
    inspection.remarks = remarks.strip()
    inspection.inspected_on = inspected_on
    inspection.total = sum((Decimal(p) for p in kept.values()), Decimal(0)) if kept else None
    if submit:
        inspection.submitted_at = timezone.now()
    inspection.full_clean()
    inspection._history_user = by
    inspection.save()
    for uploaded in photos:
        file_type = uploads.validate_upload(uploaded)
        photo = InspectionPhoto(
            inspection=inspection,
            original_name=uploaded.name[:200],
            kind=file_type.kind,
            mime=file_type.mime,
            size=uploaded.size,
        )
        photo.file.save(f"photo.{file_type.extension}", uploaded, save=False)
        photo.save()
    if submit:
        _event(
            declaration.group,
            HomeStep.INSPECTED,
            by,
            declaration=declaration,
        )
    return inspection


def panel_total(totals: list[Decimal], rule: str) -> Decimal | None:
    """The panel's result from its members' totals: their mean, or with the trimmed rule
    and at least five scored, the mean without one highest and one lowest."""
    if not totals:
        return None
    ordered = sorted(totals)
    if rule == PanelRule.TRIMMED and len(ordered) >= 5:
        ordered = ordered[1:-1]
    return (sum(ordered, Decimal(0)) / len(ordered)).quantize(CENT)


def panel_result(declaration: Declaration) -> tuple[Decimal | None, list[Inspection]]:
    submitted = [i for i in declaration.inspections.all() if i.is_submitted]
    return panel_total([i.total for i in submitted], declaration.panel.rule), submitted


@transaction.atomic
def declaration_sign_off(
    *, declaration: Declaration, by, version: int, opinion: str = ""
) -> Declaration:
    """The panel's leader signs off the panel's result. An acceptance reaching a title is
    accepted (the title proposed is the lower of what the workshop union recommended and
    what the points reach); a re-check goes to HQ for its decision."""
    declaration = _locked(Declaration, declaration, version)
    require_allowed(by, SIGN_OFF, declaration)
    if declaration.status != DeclarationStatus.INSPECTING:
        raise ValidationError(_("This declaration is not being inspected."))
    total, _submitted = panel_result(declaration)
    if total is None:
        raise ValidationError(_("No member of the panel has submitted an inspection yet."))
    declaration.panel_total = total
    declaration.panel_opinion = opinion.strip()
    declaration.signed_off_by = by
    declaration.signed_off_at = timezone.now()
    group = declaration.group
    if declaration.kind == DeclarationKind.RECHECK:
        declaration.status = DeclarationStatus.SIGNED_OFF
        declaration.proposed_level = declaration.level_for(total)
        _touch(declaration, by)
        _event(
            group,
            HomeStep.RECHECK_SIGNED_OFF,
            by,
            points=total,
            note=opinion,
            declaration=declaration,
        )
        return declaration
    reached = declaration.level_for(total)
    if not reached:
        raise ValidationError(
            _(
                "The panel's result, %(points)s points, is below the %(needed)s points of 合格; "
                "send the declaration back with the panel's reasons instead."
            )
            % {"points": total, "needed": declaration.rubric_used.qualified_at}
        )
    proposed = min(reached, declaration.recommended_level, key=_level_rank)
    declaration.proposed_level = proposed
    declaration.status = DeclarationStatus.ACCEPTED
    _touch(declaration, by)
    group = _move(group, by, stage=HomeStage.ACCEPTED, accepted_on=timezone.localdate())
    _event(
        group,
        HomeStep.ACCEPTED,
        by,
        points=total,
        level=proposed,
        note=opinion,
        declaration=declaration,
    )
    return declaration


# 公示 -----------------------------------------------------------------------------------


@transaction.atomic
def notice_publish(
    *,
    year: CreationYear,
    by,
    title: str,
    declarations: list[Declaration],
    starts_on: date | None = None,
    text: str = "",
) -> Notice:
    """HQ publishes the proposed titles for the year's notice days; objections can be
    filed while it runs."""
    starts_on = starts_on or timezone.localdate()
    notice = Notice(
        year=year,
        title=title.strip(),
        text=text.strip(),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=year.notice_days - 1),
        published_by=by,
    )
    require_allowed(by, CONFIRM, notice)
    errors = {}
    if starts_on < timezone.localdate():
        errors["starts_on"] = _("A notice starts today or later.")
    if not declarations:
        errors["declarations"] = _("Choose the accepted small homes the notice proposes.")
    if errors:
        raise ValidationError(errors)
    locked = list(
        Declaration.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk__in=[d.pk for d in declarations])
    )
    waiting = [d for d in locked if d.status != DeclarationStatus.ACCEPTED or d.year_id != year.pk]
    if waiting:
        raise ValidationError(
            {
                "declarations": _("Not accepted and waiting for a notice: %(groups)s.")
                % {"groups": "、".join(d.group.name for d in waiting)}
            }
        )
    notice.full_clean()
    notice._history_user = by
    notice.save()
    notice.declarations.set(locked)
    for declaration in locked:
        declaration.status = DeclarationStatus.IN_NOTICE
        _touch(declaration, by)
        group = _move(declaration.group, by, stage=HomeStage.IN_NOTICE)
        _event(
            group,
            HomeStep.IN_NOTICE,
            by,
            detail=notice.ends_on.isoformat(),
            declaration=declaration,
        )
    return notice


@transaction.atomic
def objection_file(*, notice: Notice, declaration: Declaration, by, text: str) -> Objection:
    """Anybody of the organisation may object to a proposed title while the notice runs."""
    require_allowed(by, VIEW, notice)
    if not text.strip():
        raise ValidationError({"text": _("Write what you object to.")})
    if not notice.is_running(timezone.localdate()):
        raise ValidationError(
            _("The notice ran from %(start)s to %(end)s; objections are no longer taken.")
            % {"start": day_label(notice.starts_on), "end": day_label(notice.ends_on)}
        )
    if not notice.declarations.filter(pk=declaration.pk, status=DeclarationStatus.IN_NOTICE):
        raise ValidationError({"declaration": _("Choose a small home of this notice.")})
    objection = Objection(notice=notice, declaration=declaration, text=text.strip(), filed_by=by)
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, by, answer: str, upheld: bool) -> Objection:
    """HQ answers each objection before the naming. Upheld, the declaration goes back to
    the panel's inspection and leaves this naming."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    require_allowed(by, CONFIRM, objection)
    if objection.is_answered:
        raise ValidationError(_("This objection is answered already."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    objection.answer = answer.strip()
    objection.upheld = upheld
    objection.answered_by = by
    objection.answered_at = timezone.now()
    objection.save()
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=objection.declaration_id)
    )
    if upheld and declaration.status == DeclarationStatus.IN_NOTICE:
        declaration.status = DeclarationStatus.INSPECTING
        declaration.panel_total = None
        declaration.proposed_level = ""
        declaration.signed_off_at = None
        declaration.signed_off_by = None
        _touch(declaration, by)
        group = _move(
            declaration.group,
            by,
            stage=_stage_after_return(declaration.group, HomeStage.INSPECTING),
        )
        _event(
            group,
            HomeStep.OBJECTION_UPHELD,
            by,
            note=answer,
            declaration=declaration,
        )
    return objection


# 命名/授牌 -----------------------------------------------------------------------------


def naming_prerequisites(declarations, levels: dict[int, str]) -> dict[int, list[str]]:
    """Why each declaration cannot be named at its level (an empty list: it can), in a
    fixed number of queries however many small homes the notice holds."""
    must_pass = list(
        ChecklistItem.objects.filter(must_pass=True, use=ChecklistItem.Use.ACCEPTANCE).values_list(
            "pk", "name"
        )
    )
    earlier = set()
    model_years = {
        d.year.year - d.year.model_needs_advanced_years
        for d in declarations
        if levels.get(d.pk, d.proposed_level) == HomeLevel.MODEL
    }
    if model_years:
        earlier = set(
            HomeTitle.objects.filter(
                group__in=[d.group_id for d in declarations],
                level__in=[HomeLevel.ADVANCED, HomeLevel.MODEL],
                year__gte=min(model_years),
            ).values_list("group_id", "year")
        )
    result = {}
    for declaration in declarations:
        level = levels.get(declaration.pk, declaration.proposed_level)
        reasons = []
        if declaration.status != DeclarationStatus.IN_NOTICE:
            reasons.append(_("It is not in a public notice."))
        if _level_rank(level) > _level_rank(declaration.proposed_level):
            reasons.append(
                _("The panel proposed %(level)s.")
                % {"level": level_name(declaration.proposed_level)}
            )
        if level == HomeLevel.MODEL:
            reasons += _model_reasons(declaration, must_pass, earlier)
        result[declaration.pk] = reasons
    return result


def _model_reasons(declaration, must_pass, earlier) -> list[str]:
    reasons = []
    this_year = declaration.year.year
    years = declaration.year.model_needs_advanced_years
    if years:
        first = this_year - years
        if not any((declaration.group_id, y) in earlier for y in range(first, this_year)):
            reasons.append(
                _("A model title needs an advanced or model title in %(first)s–%(last)s.")
                % {"first": first, "last": this_year - 1}
            )
    # An item counts as failed when an inspector checked it and did not pass it.
    failed = sorted(
        {
            name
            for pk, name in must_pass
            for inspection in declaration.inspections.all()
            if inspection.is_submitted
            and str(pk) in inspection.checks
            and not inspection.checks[str(pk)].get("passed", False)
        }
    )
    if failed:
        reasons.append(
            _("A model title needs every must-pass item; failed: %(items)s.")
            % {"items": "、".join(failed)}
        )
    return reasons


def _next_certificate_no(year: int) -> str:
    prefix = f"XJ{year}-"
    last = HomeTitle.objects.filter(certificate_no__startswith=prefix).aggregate(
        n=Max("certificate_no")
    )["n"]
    number = (
        int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    )
    return f"{prefix}{number:03d}"


def _grant_title(group, *, level, year, named_on, by, document=None, declaration=None):
    current = HomeTitle.objects.select_for_update().filter(group=group, ended_on__isnull=True)
    for title in current:
        title.ended_on = named_on
        title.end = (
            TitleEnd.SUPERSEDED
            if _level_rank(level) > _level_rank(title.level)
            else TitleEnd.DOWNGRADED
        )
        title._history_user = by
        title.save()
    title = HomeTitle(
        group=group,
        level=level,
        year=year,
        document=document,
        declaration=declaration,
        certificate_no=_next_certificate_no(year),
        named_on=named_on,
    )
    title.full_clean()
    title._history_user = by
    title.save()
    return title


@transaction.atomic
def naming_confirm(
    *, notice: Notice, by, document_no: str, named_on: date, levels: dict[int, str]
) -> NamingDocument:
    """命名/授牌: once the notice has ended and every objection is answered, HQ names the
    small homes still in it, under one 文号 and date. A title is given only after the
    acceptance, at most the one proposed, and 模范 only with its prerequisites."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require_allowed(by, CONFIRM, notice)
    errors = {}
    if not document_no.strip():
        errors["document_no"] = _("Enter the document number (文号) of the naming.")
    elif NamingDocument.objects.filter(document_no=document_no.strip()).exists():
        errors["document_no"] = _("This document number is in use already.")
    if named_on > timezone.localdate():
        errors["named_on"] = _("The date cannot be in the future.")
    if timezone.localdate() <= notice.ends_on:
        errors["__all__"] = [
            _("The notice runs until %(day)s; name the small homes after it has ended.")
            % {"day": day_label(notice.ends_on)}
        ]
    unanswered = notice.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        errors.setdefault("__all__", []).append(
            _("%(n)s objections are not answered yet.") % {"n": unanswered}
        )
    declarations = list(
        notice.declarations.select_for_update(of=("self",))
        .filter(status=DeclarationStatus.IN_NOTICE)
        .select_related("group", "year")
        .prefetch_related("inspections")
    )
    if not declarations:
        errors.setdefault("__all__", []).append(_("No small home of this notice waits for naming."))
    unmet = naming_prerequisites(declarations, levels)
    for declaration in declarations:
        if unmet[declaration.pk]:
            errors[f"level_{declaration.pk}"] = [
                f"{declaration.group.name}：{reason}" for reason in unmet[declaration.pk]
            ]
    if errors:
        raise ValidationError(errors)
    document = NamingDocument(
        year=notice.year,
        notice=notice,
        document_no=document_no.strip(),
        named_on=named_on,
        named_by=by,
    )
    document.full_clean()
    document._history_user = by
    document.save()
    for declaration in declarations:
        level = levels.get(declaration.pk, declaration.proposed_level)
        _grant_title(
            declaration.group,
            level=level,
            year=notice.year.year,
            named_on=named_on,
            by=by,
            document=document,
            declaration=declaration,
        )
        declaration.status = DeclarationStatus.NAMED
        _touch(declaration, by)
        group = _move(declaration.group, by, stage=HomeStage.NAMED, level=level)
        _event(
            group,
            HomeStep.NAMED,
            by,
            level=level,
            detail=document.document_no,
            declaration=declaration,
        )
    return document


# 复查 -----------------------------------------------------------------------------------


@transaction.atomic
def recheck_open(*, group: UnionGroup, year: int, by, reason: str = "") -> Declaration:
    """Open the yearly re-check of a named group (or one at once, after a veto)."""
    creation_year = _year(year)
    group = UnionGroup.objects.select_for_update().get(pk=group.pk)
    declaration = Declaration(
        group=group, year=creation_year, kind=DeclarationKind.RECHECK, created_by=by
    )
    require_allowed(by, CONFIRM, declaration)
    if not group.home_level:
        raise ValidationError(_("%(group)s holds no title to re-check.") % {"group": group.name})
    if Declaration.objects.filter(
        group=group, year=creation_year, kind=DeclarationKind.RECHECK
    ).exists():
        raise ValidationError(
            _("%(group)s is re-checked in %(year)s already.") % {"group": group.name, "year": year}
        )
    rubric_put_in_use(rubric=creation_year.rubric, by=by)
    declaration.rubric = creation_year.rubric
    declaration.scheme = engine.scheme_of(creation_year.rubric)
    declaration.lines = {
        indicator["code"]: {"self": None, "comment": "", "evidence": [], "computed": None}
        for criterion in declaration.scheme
        for indicator in criterion["indicators"]
    }
    declaration.target_level = group.home_level
    declaration.recommended_level = group.home_level
    declaration.status = DeclarationStatus.RECOMMENDED  # waiting for a panel
    declaration.recheck_reason = reason.strip()[:200]
    declaration.full_clean()
    declaration._history_user = by
    declaration.save()
    _event(group, HomeStep.RECHECK_OPENED, by, note=reason, declaration=declaration)
    return declaration


def recheck_open_all(*, year: int, by) -> list[Declaration]:
    """The year's re-check of every named group not re-checked yet this year."""
    opened = []
    creation_year = _year(year)
    already = Declaration.objects.filter(year=creation_year, kind=DeclarationKind.RECHECK).values(
        "group_id"
    )
    for group in (
        UnionGroup.objects.filter(is_active=True).exclude(home_level="").exclude(pk__in=already)
    ):
        opened.append(recheck_open(group=group, year=year, by=by, reason=_("Yearly re-check")))
    return opened


@transaction.atomic
def recheck_decide(
    *,
    declaration: Declaration,
    by,
    version: int,
    outcome: str,
    level: str = "",
    reason: str = "",
) -> Declaration:
    """HQ decides a signed-off re-check: the title is kept, downgraded (with the lower
    title) or withdrawn (责令摘牌), with the reasons."""
    declaration = _locked(Declaration, declaration, version)
    require_allowed(by, CONFIRM, declaration)
    if declaration.kind != DeclarationKind.RECHECK or declaration.status != (
        DeclarationStatus.SIGNED_OFF
    ):
        raise ValidationError(_("This re-check is not waiting for a decision."))
    group = declaration.group
    current = (
        HomeTitle.objects.select_for_update().filter(group=group, ended_on__isnull=True).first()
    )
    if current is None:
        raise ValidationError(_("%(group)s holds no title to re-check.") % {"group": group.name})
    errors = {}
    if outcome != RecheckOutcome.KEEP and not reason.strip():
        errors["reason"] = _("Give the reasons for the decision.")
    if outcome == RecheckOutcome.DOWNGRADE and _level_rank(level) >= _level_rank(current.level):
        errors["level"] = _("Choose a title below %(level)s.") % {
            "level": level_name(current.level)
        }
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if outcome == RecheckOutcome.KEEP:
        level = current.level
    elif outcome == RecheckOutcome.DOWNGRADE:
        _grant_title(
            group,
            level=level,
            year=declaration.year.year,
            named_on=today,
            by=by,
            declaration=declaration,
        )
        HomeTitle.objects.filter(pk=current.pk).update(end_reason=reason.strip()[:300])
        group = _move(group, by, level=level)
    else:
        current.ended_on = today
        current.end = TitleEnd.WITHDRAWN
        current.end_reason = reason.strip()[:300]
        current._history_user = by
        current.save()
        level = ""
        group = _move(group, by, stage=HomeStage.NOT_STARTED, level="")
    declaration.outcome = outcome
    declaration.outcome_level = level
    declaration.outcome_reason = reason.strip()
    declaration.status = DeclarationStatus.DECIDED
    _touch(declaration, by)
    _event(
        group,
        HomeStep.RECHECK_DECIDED,
        by,
        detail=outcome,
        level=level,
        note=reason,
        declaration=declaration,
    )
    return declaration


@transaction.atomic
def title_end(*, title: HomeTitle, by, end: str, reason: str, ended_on: date) -> HomeTitle:
    """A title given up or dissolved (自动摘牌) or lapsed at the end of its term (自然摘牌)."""
    title = HomeTitle.objects.select_for_update().select_related("group").get(pk=title.pk)
    require_allowed(by, CONFIRM, title)
    if not title.is_current:
        raise ValidationError(_("This title has ended already."))
    if end not in (TitleEnd.GIVEN_UP, TitleEnd.LAPSED):
        raise ValidationError({"end": _("Choose how the title ends.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    title.ended_on = ended_on
    title.end = end
    title.end_reason = reason.strip()[:300]
    title.full_clean()
    title._history_user = by
    title.save()
    group = _move(title.group, by, stage=HomeStage.NOT_STARTED, level="")
    _event(group, HomeStep.TITLE_ENDED, by, note=reason, detail=end)
    return title
