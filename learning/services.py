"""Changes to competitions, their results and members' learning records. Each function runs
in one transaction, checks the acting user with the scope rules and refuses bad input with
a ValidationError keyed by field (or, for a table of results, a list of row errors);
nothing is half-written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import CHANGE, VIEW, require_allowed
from activities.models import Activity, ActivityLevel
from groups.models import Member, MemberStatus
from unionhome import uploads
from unionhome.dates import day_label

from .models import (
    NOTE,
    WITH_HOURS,
    AwardLevel,
    Competition,
    CompetitionResult,
    LearningKind,
    LearningRecord,
    Lesson,
    Level,
    Mechanism,
)

# The columns of a table of results, as the template's headers and the row errors name
# them (in the page's language: 工号, 姓名, 成绩, 名次, 奖项, 备注).
COLUMN_TITLES = {
    "employee_no": pgettext_lazy("results column", "Employee no."),
    "name": pgettext_lazy("results column", "Name"),
    "score": pgettext_lazy("results column", "Score"),
    "rank": pgettext_lazy("results column", "Rank"),
    "award": pgettext_lazy("results column", "Award"),
    "note": pgettext_lazy("results column", "Note"),
}


def column(name: str) -> str:
    return str(COLUMN_TITLES[name])


CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
MAX_SCORE = Decimal("100000")


# Competitions -----------------------------------------------------------------------------


def activity_place_q(level: str, workshop_id, group_id) -> Q:
    """The activities held for a competition's organiser: its group's; its workshop
    union's groups' and its own; the company union's."""
    if level == Level.GROUP:
        return Q(group_id=group_id)
    if level == Level.WORKSHOP:
        return Q(group__workshop_id=workshop_id) | Q(
            level=ActivityLevel.WORKSHOP, host_workshop_id=workshop_id
        )
    return Q(level=ActivityLevel.HQ)


def result_place_q(level: str, workshop_id, group_id) -> Q:
    """The results (by the member's group when recorded) within a group's or a workshop
    union's part (the company union's holds every result)."""
    if level == Level.GROUP:
        return Q(group_id=group_id)
    return Q(group__workshop_id=workshop_id)


@transaction.atomic
def competition_save(
    *,
    by,
    competition: Competition | None = None,
    title: str,
    kind,
    level: str,
    workshop=None,
    group=None,
    starts_on: date,
    ends_on: date,
    description: str = "",
    status: str | None = None,
    activity=None,
) -> Competition:
    """Record a competition, or change one (its organiser's part of the organisation). The
    place follows the level: a group's competition names its group (and so its workshop
    union), a workshop union's its workshop union, the company union's neither."""
    if competition is None:
        competition = Competition(created_by=by)
    else:
        require_allowed(by, CHANGE, competition)
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if level == Level.GROUP and group is not None:
        workshop = group.workshop
    elif level == Level.WORKSHOP:
        group = None
    elif level == Level.HQ:
        workshop, group = None, None
    errors = {}
    workshop_id = workshop.pk if workshop is not None else None
    group_id = group.pk if group is not None else None
    if level == Level.GROUP and group is None:
        errors["group"] = _("Choose the union group that holds the competition.")
    if level == Level.WORKSHOP and workshop is None:
        errors["workshop"] = _("Choose the workshop union that holds the competition.")
    if activity is not None:
        readable = Activity.objects.restrict(by, VIEW).filter(pk=activity.pk)
        if not readable.filter(activity_place_q(level, workshop_id, group_id)).exists():
            errors["activity"] = _("Choose an activity of the competition's organiser.")
        elif not starts_on <= activity.held_on <= ends_on:
            errors["activity"] = _(
                "The activity was held on %(day)s, outside the competition's dates."
            ) % {"day": day_label(activity.held_on)}
    if (
        competition.pk
        and level != Level.HQ
        and (level, workshop_id, group_id)
        != (
            competition.level,
            competition.workshop_id,
            competition.group_id,
        )
    ):
        outside = CompetitionResult.objects.filter(competition=competition).exclude(
            result_place_q(level, workshop_id, group_id)
        )
        if outside.exists():
            message = _(
                "%(count)s results are of members outside the new organiser's part; take "
                "them out first."
            ) % {"count": outside.count()}
            errors["group" if level == Level.GROUP else "level"] = message
    if errors:
        raise ValidationError(errors)
    competition.title = (title or "").strip()
    competition.kind = kind
    competition.level = level
    competition.workshop = workshop
    competition.group = group
    competition.starts_on = starts_on
    competition.ends_on = ends_on
    competition.description = (description or "").strip()
    competition.activity = activity
    if status:
        competition.status = status
    # The new place must be in the user's reach too (a leader records only their group's).
    require_allowed(by, CHANGE, competition)
    competition.full_clean()
    if competition.pk:
        competition.version = F("version") + 1
    competition.save()
    competition.refresh_from_db()
    return competition


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ResultRow:
    """A row of results as typed in the table or read from a workbook (text as given)."""

    row: int
    employee_no: str
    name: str = ""
    score: object = ""
    rank: object = ""
    award: object = ""
    note: object = ""
    remove: bool = False


@dataclass
class PlannedResult:
    row: int
    member: Member
    score: Decimal | None
    rank: int | None
    award: AwardLevel | None
    note: str
    remove: bool = False


@dataclass
class ResultsPlan:
    rows: list[PlannedResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_RE.sub("", str(value)).strip()


def _score(value) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        value = repr(value)
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not score.is_finite() or abs(score) >= MAX_SCORE or score != score.quantize(Decimal("0.01")):
        raise ValueError
    return score.quantize(Decimal("0.01"))


def _rank(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    text = text.removeprefix("第").removesuffix("名")
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 100000:
        raise ValueError
    return int(text)


def competition_members(competition: Competition):
    """The members who may have a result in the competition: its group's, its workshop
    union's, or (the company union's) anybody's; active members only."""
    members = Member.objects.filter(status=MemberStatus.ACTIVE)
    if competition.level == Level.GROUP:
        return members.filter(group_id=competition.group_id)
    if competition.level == Level.WORKSHOP:
        return members.filter(group__workshop_id=competition.workshop_id)
    return members


def results_plan(*, competition: Competition, by, rows: list[ResultRow]) -> ResultsPlan:
    """Check a table of results (typed or imported) row by row: a known member of the
    competition's part of the organisation that the user reaches, named as in the register
    when a name is given, each member once, a score, a rank (1, 2 … or 第1名) and an award
    level by its name. Every problem is reported with its row; a fixed number of queries."""
    plan = ResultsPlan()
    awards = {a.name: a for a in AwardLevel.objects.filter(is_active=True)}
    numbers = {r.employee_no for r in rows if r.employee_no}
    reachable = Member.objects.restrict(by, VIEW) if by is not None else Member.objects.all()
    members = {
        m.employee_no: m
        for m in competition_members(competition)
        .filter(pk__in=reachable.values("pk"), employee_no__in=sorted(numbers))
        .select_related("group")
    }
    # A member who already has a result keeps it open to change or removal after they
    # left the union or moved out of the organiser's part: the active/in-part rule is for
    # new entries only.
    if competition.pk:
        for result in CompetitionResult.objects.filter(
            competition=competition, member__employee_no__in=sorted(numbers)
        ).select_related("member__group"):
            members[result.member.employee_no] = result.member
    first_row: dict[str, int] = {}
    for row in rows:
        no = row.employee_no
        if not no:
            plan.errors.append(
                RowError(row.row, column("employee_no"), _("The employee no. is missing."))
            )
            continue
        if no in first_row:
            plan.errors.append(
                RowError(
                    row.row,
                    column("employee_no"),
                    _("Employee no. %(no)s appears again; it was first on row %(row)s.")
                    % {"no": no, "row": first_row[no]},
                )
            )
            continue
        first_row[no] = row.row
        member = members.get(no)
        if member is None:
            plan.errors.append(
                RowError(
                    row.row,
                    column("employee_no"),
                    _("Employee no. %(no)s is not a member who can take part in this competition.")
                    % {"no": no},
                )
            )
            continue
        if row.name and row.name != member.name:
            plan.errors.append(
                RowError(
                    row.row,
                    column("name"),
                    _("Employee no. %(no)s is %(name)s in the register, not %(given)s.")
                    % {"no": no, "name": member.name, "given": row.name},
                )
            )
            continue
        good = True
        score = rank = award = None
        try:
            score = _score(row.score)
        except ValueError:
            plan.errors.append(
                RowError(
                    row.row,
                    column("score"),
                    _("“%(value)s” is not a score such as 92.5.") % {"value": _text(row.score)},
                )
            )
            good = False
        try:
            rank = _rank(row.rank)
        except ValueError:
            plan.errors.append(
                RowError(
                    row.row,
                    column("rank"),
                    _("“%(value)s” is not a rank such as 1 or 1st.") % {"value": _text(row.rank)},
                )
            )
            good = False
        award_name = _text(row.award)
        if award_name:
            award = awards.get(award_name)
            if award is None:
                plan.errors.append(
                    RowError(
                        row.row,
                        column("award"),
                        _("“%(value)s” is not an award level; use one of: %(levels)s.")
                        % {"value": award_name, "levels": "、".join(awards)},
                    )
                )
                good = False
        note = _text(row.note)
        if len(note) > 200:
            plan.errors.append(
                RowError(row.row, column("note"), _("The note is longer than 200 characters."))
            )
            good = False
        if good:
            plan.rows.append(
                PlannedResult(row.row, member, score, rank, award, note, remove=row.remove)
            )
    plan.errors.sort(key=lambda e: e.row)
    return plan


@transaction.atomic
def results_apply(*, competition: Competition, by, plan: ResultsPlan) -> int:
    """Keep every row of a checked table: a member's result is added or replaced, or taken
    out where the row says so. Nothing is written when the plan has any error. Returns the
    number of results kept or removed."""
    require_allowed(by, CHANGE, competition)
    if not plan.ok:
        raise ValidationError(_("The results have problems; nothing was saved."))
    Competition.objects.select_for_update().filter(pk=competition.pk).first()
    existing = {r.member_id: r for r in CompetitionResult.objects.filter(competition=competition)}
    removed = [existing[p.member.pk].pk for p in plan.rows if p.remove and p.member.pk in existing]
    CompetitionResult.objects.filter(pk__in=removed).delete()
    new, changed = [], []
    now = timezone.now()
    for planned in plan.rows:
        if planned.remove:
            continue
        result = existing.get(planned.member.pk) or CompetitionResult(
            competition=competition, member=planned.member, group_id=planned.member.group_id
        )
        result.score = planned.score
        result.rank = planned.rank
        result.award = planned.award
        result.note = planned.note
        result.recorded_by = by
        result.recorded_at = now
        (changed if result.pk else new).append(result)
    CompetitionResult.objects.bulk_create(new)
    CompetitionResult.objects.bulk_update(
        changed, ["score", "rank", "award", "note", "recorded_by", "recorded_at"]
    )
    Competition.objects.filter(pk=competition.pk).update(version=F("version") + 1)
    return len(new) + len(changed) + len(removed)


# Learning records -------------------------------------------------------------------------


def lesson_kind() -> LearningKind:
    kind = LearningKind.objects.filter(mechanism=Mechanism.LESSON, is_active=True).first()
    if kind is None:
        raise ValidationError(
            _("No kind of learning counts as a weekly lesson; HQ adds one in the admin site.")
        )
    return kind


@transaction.atomic
def lesson_record(
    *, group, by, held_on: date, topic: str, hours: Decimal, members, teacher: str = ""
) -> Lesson:
    """每周一课: the group's lesson of a day with the members present, each of whom gets a
    learning record of it (the lesson's hours)."""
    lesson = Lesson(
        group=group,
        held_on=held_on,
        topic=(topic or "").strip(),
        teacher=(teacher or "").strip(),
        hours=hours,
        recorded_by=by,
    )
    require_allowed(by, CHANGE, lesson)
    members = list(members)
    errors = {}
    if not members:
        errors["members"] = _("Tick the members who were present.")
    elif any(m.group_id != group.pk or not m.is_active_member for m in members):
        errors["members"] = _("Only the group's own active members can be ticked.")
    if hours is None or hours <= 0:
        errors["hours"] = _("Give the lesson's length in hours, e.g. 1 or 1.5.")
    if Lesson.objects.filter(group=group, held_on=held_on, topic=lesson.topic).exists():
        errors["held_on"] = _(
            "The group already has a lesson on “%(topic)s” this day; it is not recorded twice."
        ) % {"topic": lesson.topic}
    if errors:
        raise ValidationError(errors)
    lesson.full_clean()
    kind = lesson_kind()
    lesson.save()
    LearningRecord.objects.bulk_create(
        [
            LearningRecord(
                member=member,
                group=group,
                kind=kind,
                on=held_on,
                title=lesson.topic,
                hours=hours,
                lesson=lesson,
                recorded_by=by,
            )
            for member in members
        ]
    )
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson, by) -> None:
    """Take back a lesson recorded by mistake, with its attendance records."""
    require_allowed(by, CHANGE, lesson)
    lesson.delete()


IMAGE_OR_PDF = ("image/", "application/pdf")


@transaction.atomic
def record_add(
    *,
    by,
    member: Member,
    kind: LearningKind,
    on: date,
    title: str,
    hours: Decimal | None = None,
    notes: str = "",
    certificate_no: str = "",
    issuer: str = "",
    upload=None,
) -> LearningRecord:
    """A piece of a member's learning. The group's part of the organisation records any
    kind; the member's own login records the books they read, with their notes. What each
    kind needs: hours for lessons and training, notes for a book (读书笔记), the certificate's
    name for a certificate (its number, issuer and a scan where there are)."""
    record = LearningRecord(
        member=member,
        group_id=member.group_id,
        kind=kind,
        on=on,
        title=(title or "").strip(),
        hours=hours if kind.mechanism in WITH_HOURS else None,
        notes=(notes or "").strip(),
        certificate_no=(certificate_no or "").strip()
        if kind.mechanism == Mechanism.CERTIFICATE
        else "",
        issuer=(issuer or "").strip() if kind.mechanism == Mechanism.CERTIFICATE else "",
        recorded_by=by,
    )
    record.group = member.group
    require_allowed(by, CHANGE if kind.mechanism != Mechanism.BOOK else NOTE, record)
    errors = {}
    if not member.is_active_member:
        errors["member"] = _("The member has left the union.")
    if not kind.is_active:
        errors["kind"] = _("This kind of learning is no longer in use.")
    if kind.mechanism in WITH_HOURS and (hours is None or hours <= 0):
        errors["hours"] = _("Give the hours, e.g. 2 or 1.5.")
    if kind.mechanism == Mechanism.BOOK and not record.notes:
        errors["notes"] = _("Write a few lines of reading notes.")
    if upload:
        if kind.mechanism != Mechanism.CERTIFICATE:
            errors["upload"] = _("A scan is kept for certificates only.")
        else:
            try:
                file_type = uploads.validate_upload(upload)
            except ValidationError as error:
                errors["upload"] = error.messages
            else:
                if not file_type.mime.startswith(IMAGE_OR_PDF):
                    errors["upload"] = _("Upload a photo or a PDF scan of the certificate.")
                else:
                    record.file_mime = file_type.mime
                    record.file_name = (upload.name or "")[:200]
    if errors:
        raise ValidationError(errors)
    record.full_clean(exclude=["file"])
    if upload:
        upload.seek(0)
        record.file.save(upload.name, upload, save=False)
        stored, storage = record.file.name, record.file.storage
        try:
            record.save()
        except Exception:
            # The row is not written: the stored scan would be lost, so it goes again.
            storage.delete(stored)
            raise
        return record
    record.save()
    return record


@transaction.atomic
def record_delete(*, record: LearningRecord, by) -> None:
    """Take back a record entered by mistake (a lesson's attendance goes with its lesson)."""
    action = NOTE if record.kind.mechanism == Mechanism.BOOK else CHANGE
    require_allowed(by, action, record)
    if record.lesson_id:
        raise ValidationError(_("Attendance of a weekly lesson is changed with the lesson."))
    stored = record.file.name if record.file else ""
    record.delete()
    if stored:
        storage = record.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
