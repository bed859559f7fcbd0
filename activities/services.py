"""Changes to activities, their files, and the monthly report workflow."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, VIEW, allows, require_allowed
from groups.models import GroupMembership, Member, MemberStatus, UnionGroup
from unionhome import uploads

from .models import (
    REVIEW,
    Activity,
    ActivityGroup,
    ActivityKind,
    ActivityLevel,
    Attachment,
    ContentArea,
    MonthlyReport,
    Participation,
    ReportAttachment,
    ReportEvent,
    ReportFileKind,
    ReportStatus,
)
from .periods import month_start
from .selectors import month_figures, reports_to_review

PENDING_UPLOAD_LIFETIME = timedelta(days=1)


class ConcurrentChange(ValidationError):
    """Somebody else changed the record since the user opened it."""


# Activities ------------------------------------------------------------------------------


def attachment_stage(*, uploaded, by) -> Attachment:
    """Check an uploaded file and keep it, pending, for the user until their form is saved."""
    file_type = uploads.validate_upload(uploaded)
    attachment = Attachment(
        original_name=uploaded.name[:200],
        kind=file_type.kind,
        mime=file_type.mime,
        size=uploaded.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{file_type.extension}", uploaded, save=False)
    if file_type.kind == uploads.IMAGE:
        attachment.thumbnail.save("thumb.jpg", uploads.thumbnail(uploaded), save=False)
    attachment.save()
    return attachment


def attachments_pending(*, by, ids) -> list[Attachment]:
    """The user's own pending uploads among `ids` (anybody else's are ignored)."""
    return list(Attachment.objects.filter(pk__in=ids, activity__isnull=True, uploaded_by=by))


def attachments_discard_stale() -> int:
    """Delete pending uploads nobody saved a form for within a day (files included)."""
    cutoff = timezone.now() - PENDING_UPLOAD_LIFETIME
    stale = list(Attachment.objects.filter(activity__isnull=True, uploaded_at__lt=cutoff))
    for attachment in stale:
        _delete_files(attachment)
        attachment.delete()
    return len(stale)


def _delete_files(attachment: Attachment) -> None:
    for field in (attachment.file, attachment.thumbnail):
        if field:
            field.delete(save=False)


def _check_activity(*, area, kinds, participants, is_new, old=None):
    """What depends on the change, not on the record: the dates are the model's rules."""
    errors = {}
    if not area.is_active and (is_new or old.area_id != area.pk):
        errors["area"] = _("This content area is retired; choose another.")
    retired = [k.name for k in kinds if not k.is_active]
    if retired and is_new:
        errors["kinds"] = _("Retired kinds: %(kinds)s.") % {"kinds": "、".join(retired)}
    gone = [m.name for m in participants if m.status != MemberStatus.ACTIVE]
    if gone:
        errors["participants"] = _("%(names)s left the union.") % {"names": "、".join(gone)}
    if errors:
        raise ValidationError(errors)


def _groups_on(held_on: date, participants) -> dict[int, int]:
    """{member id: the group the member was in on `held_on`} from the group history
    (GroupMembership), their present group when the history has no stretch for the day.
    One query."""
    groups = {m.pk: m.group_id for m in participants}
    stretches = (
        GroupMembership.objects.filter(member_id__in=sorted(groups), started_on__lte=held_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=held_on))
        .order_by("member_id", "started_on", "pk")
        .values_list("member_id", "group_id")
    )
    for member_id, group_id in stretches:
        groups[member_id] = group_id  # the latest stretch covering the day wins
    return groups


def _check_host_workshop(activity: Activity, participants, groups: dict[int, int]) -> None:
    """A workshop union's activity is for its own groups' members only."""
    if activity.level != ActivityLevel.WORKSHOP:
        return
    outside = set(
        UnionGroup.objects.filter(pk__in=sorted(set(groups.values())))
        .exclude(workshop_id=activity.host_workshop_id)
        .values_list("pk", flat=True)
    )
    names = [m.name for m in participants if groups[m.pk] in outside]
    if names:
        raise ValidationError(
            {
                "other_participants": _(
                    "%(names)s are not in this workshop union's groups: a workshop union's "
                    "activity is for its own members."
                )
                % {"names": "、".join(names)}
            }
        )


def _keep_participants(activity: Activity, participants) -> None:
    """The participants, and for an activity above the group the groups that took part:
    each participant counts for the group they were in on the day it was held, and the
    activity once in each of those groups (ActivityGroup). A group's own activity keeps no
    ActivityGroup rows: it counts in its own group."""
    if activity.level == ActivityLevel.GROUP:
        activity.participants.set(participants)
        return
    groups = _groups_on(activity.held_on, participants)
    _check_host_workshop(activity, participants, groups)
    Participation.objects.filter(activity=activity).delete()
    Participation.objects.bulk_create(
        [Participation(activity=activity, member=m, group_id=groups[m.pk]) for m in participants]
    )
    wanted = set(groups.values())
    have = set(ActivityGroup.objects.filter(activity=activity).values_list("group_id", flat=True))
    ActivityGroup.objects.filter(activity=activity, group_id__in=have - wanted).delete()
    ActivityGroup.objects.bulk_create(
        [ActivityGroup(activity=activity, group_id=gid) for gid in sorted(wanted - have)]
    )


def _attach(activity: Activity, new_files: list[Attachment], removed_ids=()) -> None:
    kept = [a for a in activity.attachments.all() if a.pk not in set(removed_ids)]
    uploads.validate_total([a.size for a in kept] + [a.size for a in new_files])
    for attachment in activity.attachments.filter(pk__in=list(removed_ids)):
        _delete_files(attachment)
        attachment.delete()
    for attachment in new_files:
        attachment.activity = activity
        attachment.save(update_fields=["activity"])


@transaction.atomic
def activity_create(
    *,
    by,
    group: UnionGroup | None = None,
    area: ContentArea,
    title: str,
    held_on: date,
    level: str = ActivityLevel.GROUP,
    host_workshop=None,
    kinds: list[ActivityKind] = (),
    ends_on: date | None = None,
    place: str = "",
    organiser: str = "",
    participants: list[Member] = (),
    guests_count: int = 0,
    description: str = "",
    attachments: list[Attachment] = (),
) -> Activity:
    """Record an activity of a group, or one above the group (`level` "workshop" with its
    `host_workshop`, or "hq") with participants from many groups; its participants and
    files come with it, and the groups that took part are kept from the participants."""
    if level == ActivityLevel.GROUP:
        if group is None:
            raise ValueError("a group's activity names its group")
        require_allowed(by, CHANGE, group)
        host_workshop = None
    else:
        group = None
        if level == ActivityLevel.WORKSHOP and host_workshop is None:
            raise ValueError("a workshop union's activity names its workshop union")
        if level == ActivityLevel.HQ:
            host_workshop = None
        require_allowed(by, CHANGE, Activity(level=level, host_workshop=host_workshop))
    _check_activity(area=area, kinds=kinds, participants=participants, is_new=True)
    if level != ActivityLevel.GROUP and not participants:
        raise ValidationError(
            {"participants": _("Choose who took part: the activity counts for their groups.")}
        )
    activity = Activity(
        level=level,
        group=group,
        host_workshop=host_workshop,
        area=area,
        title=title.strip(),
        held_on=held_on,
        ends_on=ends_on,
        place=place.strip(),
        organiser=organiser.strip(),
        guests_count=guests_count,
        description=description.strip(),
        recorded_by=by,
    )
    activity.full_clean()
    activity._history_user = by
    activity.save()
    activity.kinds.set(kinds)
    _keep_participants(activity, participants)
    _attach(activity, list(attachments))
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by,
    area: ContentArea,
    title: str,
    held_on: date,
    kinds: list[ActivityKind] = (),
    ends_on: date | None = None,
    place: str = "",
    organiser: str = "",
    participants: list[Member] = (),
    guests_count: int = 0,
    description: str = "",
    attachments: list[Attachment] = (),
    remove_attachments: list[int] = (),
) -> Activity:
    """Correct an activity. Its group (or host) stays; files can be added and removed."""
    activity = (
        Activity.objects.select_for_update(of=("self",)).select_related("group").get(pk=activity.pk)
    )
    require_allowed(by, CHANGE, activity)
    if activity.is_deleted:
        raise ValidationError(_("This activity was deleted."))
    _check_activity(area=area, kinds=kinds, participants=participants, is_new=False, old=activity)
    if activity.is_above_group and not participants:
        raise ValidationError(
            {"participants": _("Choose who took part: the activity counts for their groups.")}
        )
    activity.area = area
    activity.title = title.strip()
    activity.held_on = held_on
    activity.ends_on = ends_on
    activity.place = place.strip()
    activity.organiser = organiser.strip()
    activity.guests_count = guests_count
    activity.description = description.strip()
    activity.full_clean()
    activity._history_user = by
    activity.save()
    activity.kinds.set(kinds)
    _keep_participants(activity, participants)
    _attach(activity, list(attachments), remove_attachments)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by, reason: str = "") -> Activity:
    """Take an activity out of every list and figure; who, when and why are kept, and the
    record itself stays for the audit trail (and can be restored)."""
    activity = (
        Activity.objects.select_for_update(of=("self",)).select_related("group").get(pk=activity.pk)
    )
    require_allowed(by, CHANGE, activity)
    if activity.is_deleted:
        raise ValidationError(_("This activity was already deleted."))
    activity.deleted_at = timezone.now()
    activity.deleted_by = by
    activity.delete_reason = reason.strip()
    activity._history_user = by
    activity.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated_at"])
    return activity


@transaction.atomic
def activity_restore(*, activity: Activity, by) -> Activity:
    activity = (
        Activity.objects.select_for_update(of=("self",)).select_related("group").get(pk=activity.pk)
    )
    require_allowed(by, CHANGE, activity)
    if not activity.is_deleted:
        raise ValidationError(_("This activity is not deleted."))
    activity.deleted_at = None
    activity.deleted_by = None
    activity.delete_reason = ""
    activity._history_user = by
    activity.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated_at"])
    return activity


# Monthly reports -------------------------------------------------------------------------


@transaction.atomic
def report_file_add(
    *, group: UnionGroup, month: date, by, uploaded, kind: str = ReportFileKind.SIGNIN
) -> ReportAttachment:
    """Add a file (a sign-in sheet photo, the minutes) to the group's report of the month,
    which is opened as a draft if it was not yet. Only while the report is editable."""
    require_allowed(by, CHANGE, group)
    if kind not in ReportFileKind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    report = _open_report(group=group, month=month, version=None)
    if not report.is_editable:
        raise ValidationError(_("A submitted report cannot be changed unless it is returned."))
    file_type = uploads.validate_upload(uploaded)
    uploads.validate_total([f.size for f in report.files.all()] + [uploaded.size])
    attachment = ReportAttachment(
        report=report,
        kind=kind,
        original_name=uploaded.name[:200],
        file_type=file_type.kind,
        mime=file_type.mime,
        size=uploaded.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{file_type.extension}", uploaded, save=False)
    if file_type.kind == uploads.IMAGE:
        attachment.thumbnail.save("thumb.jpg", uploads.thumbnail(uploaded), save=False)
    attachment.save()
    # A change of the report like a save of its text: in its history, its version moves on.
    note = _("File added: %(name)s") % {"name": attachment.original_name}
    _record(report, by, ReportEvent.Action.SAVED, note=note[:200])
    return attachment


@transaction.atomic
def report_file_remove(*, attachment: ReportAttachment, by) -> None:
    report = (
        MonthlyReport.objects.select_for_update()
        .select_related("group")
        .get(pk=attachment.report_id)
    )
    require_allowed(by, CHANGE, report)
    if not report.is_editable:
        raise ValidationError(_("A submitted report cannot be changed unless it is returned."))
    name = attachment.original_name
    attachment.delete()
    note = _("File removed: %(name)s") % {"name": name}
    _record(report, by, ReportEvent.Action.SAVED, note=note[:200])
    # The stored files go once the removal is committed (a rollback keeps them).
    transaction.on_commit(lambda: _delete_files(attachment))


def _locked_report(report_id: int, version: int) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().select_related("group").get(pk=report_id)
    if report.version != version:
        last = report.events.select_related("by").last()
        who = last.by.name if last else ""
        when = timezone.localtime(last.at).strftime("%H:%M") if last else ""
        raise ConcurrentChange(
            _(
                "%(who)s changed this report at %(when)s while you were working on it. Your text "
                "is kept below; look at the report again and repeat your step."
            )
            % {"who": who, "when": when}
        )
    return report


def _record(report: MonthlyReport, by, action: str, note: str = "") -> None:
    report.version += 1
    report._history_user = by
    report.save()
    ReportEvent.objects.create(report=report, action=action, by=by, note=note)


def _open_report(*, group: UnionGroup, month: date, version: int | None) -> MonthlyReport:
    """The group's report for the month, created as a draft the first time it is saved."""
    if month != month_start(month):
        raise ValueError("a report month is the first day of a month")
    if month > month_start(timezone.localdate()):
        raise ValidationError(_("A report cannot be filed for a month that has not begun."))
    # Lock the group so that two first saves of the same report cannot both create it.
    UnionGroup.objects.select_for_update().get(pk=group.pk)
    report = MonthlyReport.objects.filter(group=group, month=month).first()
    if report is None:
        if version not in (None, 0):
            raise ConcurrentChange(_("This report was removed meanwhile; open it again."))
        return MonthlyReport.objects.create(group=group, month=month, version=0)
    return _locked_report(report.pk, version if version is not None else report.version)


def _write_text(report: MonthlyReport, summary: str, problems: str, next_plan: str) -> None:
    if not report.is_editable:
        raise ValidationError(_("A submitted report cannot be changed unless it is returned."))
    report.summary = summary.strip()
    report.problems = problems.strip()
    report.next_plan = next_plan.strip()


@transaction.atomic
def report_save(
    *,
    group: UnionGroup,
    month: date,
    by,
    version: int | None,
    summary="",
    problems="",
    next_plan="",
) -> MonthlyReport:
    """Save the leader's text of a draft report; its figures keep compiling live."""
    require_allowed(by, CHANGE, group)
    report = _open_report(group=group, month=month, version=version)
    _write_text(report, summary, problems, next_plan)
    _record(report, by, ReportEvent.Action.SAVED)
    return report


def report_month_over(month: date) -> bool:
    """A month's report is submitted once the month is over (the running one is drafted)."""
    return month < month_start(timezone.localdate())


@transaction.atomic
def report_submit(
    *,
    group: UnionGroup,
    month: date,
    by,
    version: int | None,
    summary="",
    problems="",
    next_plan="",
) -> MonthlyReport:
    """Submit the report to the workshop union; its figures are frozen from now on."""
    require_allowed(by, CHANGE, group)
    report = _open_report(group=group, month=month, version=version)
    _write_text(report, summary, problems, next_plan)
    if not report_month_over(month):
        raise ValidationError(_("A month's report can be submitted once the month is over."))
    if not report.summary:
        raise ValidationError({"summary": _("Write a summary of the month before submitting.")})
    now = timezone.now()
    report.figures = month_figures(group_ids=[group.pk], month=month)[group.pk]
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.submitted_by = by
    report.first_submitted_at = report.first_submitted_at or now
    report.return_reason = ""
    _record(report, by, ReportEvent.Action.SUBMITTED)
    return report


def report_may_write(*, user, group: UnionGroup, report: MonthlyReport | None) -> bool:
    """Whether `user` may write (save or submit) the group's report as it stands now."""
    return allows(user, CHANGE, group) and (report is None or report.is_editable)


def report_may_review(*, user, report: MonthlyReport | None) -> bool:
    """Whether `user` may return or approve `report` now: it waits for review, they review
    its group's reports, and they did not submit it themselves."""
    return (
        report is not None
        and report.status == ReportStatus.SUBMITTED
        and allows(user, REVIEW, report)
        and report.submitted_by_id != user.pk
    )


def _review(report_id: int, by, version: int) -> MonthlyReport:
    report = _locked_report(report_id, version)
    require_allowed(by, REVIEW, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if not report_may_review(user=by, report=report):
        raise ValidationError(_("Nobody reviews a report they submitted themselves."))
    return report


@transaction.atomic
def report_return(*, report: MonthlyReport, by, version: int, reason: str) -> MonthlyReport:
    """Send a report back to the group with a reason; it becomes editable again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report goes back.")})
    report = _review(report.pk, by, version)
    report.status = ReportStatus.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    _record(report, by, ReportEvent.Action.RETURNED, note=report.return_reason)
    return report


@transaction.atomic
def report_approve(*, report: MonthlyReport, by, version: int, note: str = "") -> MonthlyReport:
    report = _review(report.pk, by, version)
    report.status = ReportStatus.APPROVED
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    _record(report, by, ReportEvent.Action.APPROVED, note=note.strip())
    return report


def reports_approve_many(*, by, chosen: dict[int, int]) -> tuple[list, list]:
    """Approve several reports from the review list: `chosen` maps each report's id to the
    version the reviewer saw. Each is approved on its own, version-checked as on its page,
    so one changed meanwhile is left for a second look while the rest go through.
    Returns (approved reports, [(report, why not)])."""
    approved, refused = [], []
    waiting = set(reports_to_review(by).filter(pk__in=chosen).values_list("pk", flat=True))
    seen = MonthlyReport.objects.restrict(by, VIEW).filter(pk__in=chosen).select_related("group")
    for report in sorted(seen, key=lambda r: (r.month, r.group.name)):
        if report.pk not in waiting:
            refused.append((report, _("It no longer waits for your review.")))
            continue
        try:
            approved.append(report_approve(report=report, by=by, version=chosen[report.pk]))
        except ValidationError as error:
            refused.append((report, " ".join(error.messages)))
    return approved, refused
