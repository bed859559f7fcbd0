"""Joining, numbering, employee counts and transfers. Each change runs in one transaction;
members are enrolled and their membership ended only through groups.services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, allows, require_allowed
from groups import services as groups
from groups.models import MANAGE, LeaveKind, Member, MemberStatus, UnionGroup, WorkshopUnion
from unionhome.validators import check_not_in_future

from .models import (
    DECIDE,
    Application,
    ApplicationKind,
    ApplicationSource,
    ApplicationStatus,
    EmployeeCount,
    JoinLink,
    NumberCounter,
    NumberingRule,
    Transfer,
)

# Applications one address may file through the public links in an hour: enough for a
# family sharing a phone, too few for a script.
APPLICATIONS_PER_ADDRESS_PER_HOUR = 5


def _as(by, *objects) -> None:
    for obj in objects:
        obj._history_user = by


# Numbers ---------------------------------------------------------------------------------


def number_next(*, key: str) -> int:
    """The next number of a sequence. The counter row is locked until the transaction
    ends, so two approvals at the same moment take one number each, in turn."""
    counter = NumberCounter.objects.select_for_update().filter(key=key).first()
    if counter is None:
        try:
            with transaction.atomic():
                NumberCounter.objects.create(key=key, last=0)
        except IntegrityError:
            pass  # another transaction created it first; its lock decides the order
        counter = NumberCounter.objects.select_for_update().get(key=key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def card_no_assign(*, workshop: WorkshopUnion, year: int) -> str:
    """The next 会员证号 by HQ's numbering rule, skipping numbers a member already holds
    (entered by hand or imported)."""
    rule = NumberingRule.current()
    key = rule.card_counter_key(year=year, workshop=workshop)
    while True:
        number = rule.card_number(
            year=year, workshop_code=workshop.code, sequence=number_next(key=key)
        )
        if not Member.objects.filter(card_no=number).exists():
            return number


def letter_no_assign(*, year: int) -> str:
    rule = NumberingRule.current()
    while True:
        number = rule.letter_number(year=year, sequence=number_next(key=f"letter:{year}"))
        if not Transfer.objects.filter(letter_no=number).exists():
            return number


# Joining ----------------------------------------------------------------------------------


@dataclass
class Filed:
    """What the person who filed an application is told, once: its reference and the
    code that opens its status page."""

    application: Application | None
    reference: str
    check_code: str


def application_address_limited(*, address: str | None) -> bool:
    """Whether this address filed as many applications in the last hour as allowed."""
    if not address:
        return False
    since = timezone.now() - timedelta(hours=1)
    recent = Application.objects.filter(ip_address=address, submitted_at__gte=since).count()
    return recent >= APPLICATIONS_PER_ADDRESS_PER_HOUR


@transaction.atomic
def application_submit_public(*, link: JoinLink, address: str | None, **details) -> Filed:
    """An application filed by the applicant through a joining link, without an account.

    The answer is the same whether or not the employee no. or identity number is already
    a member's: the workshop union sees the duplicate on its list."""
    if not link.is_open_on(timezone.localdate()):
        raise ValidationError(_("This joining link is closed."))
    if application_address_limited(address=address):
        raise ValidationError(
            _("Too many applications were sent from this network. Please try again in an hour.")
        )
    group = details.pop("group", None) or link.group
    if group is None or group.workshop_id != link.workshop_id or not group.is_active:
        raise ValidationError({"group": _("Choose the group where you work.")})
    application = Application(
        source=ApplicationSource.LINK,
        kind=ApplicationKind.NEW,
        link=link,
        group=group,
        ip_address=address,
        **details,
    )
    return _file(application, by=None)


@transaction.atomic
def application_submit(*, by, group: UnionGroup, **details) -> Filed:
    """An application entered for a worker by the group leader, or by the union office
    (a transfer in from another organisation included)."""
    require_allowed(by, CHANGE, Application(group=group))
    source = (
        ApplicationSource.OFFICE
        if allows(by, DECIDE, Application(group=group))
        else ApplicationSource.LEADER
    )
    application = Application(source=source, submitted_by=by, group=group, **details)
    return _file(application, by=by)


def _file(application: Application, *, by) -> Filed:
    for field in ("name", "employee_no", "id_number", "position", "former_organisation"):
        setattr(application, field, getattr(application, field).strip())
    application.id_number = application.id_number.upper()
    code = application.set_check_code()
    application.full_clean()
    _as(by, application)
    application.save()
    return Filed(application, application.reference, code)


def _locked(application: Application) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("group__workshop")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is already decided."))
    return application


@transaction.atomic
def application_approve(*, application: Application, by, approved_on: date | None = None) -> Member:
    """The workshop union approves: the applicant is enrolled in their group with a
    会员证号 by the numbering rule. The join date is the one given on the application
    (a transfer in keeps the first one), else the day of approval."""
    application = _locked(application)
    require_allowed(by, DECIDE, application)
    approved_on = approved_on or timezone.localdate()
    check_not_in_future(approved_on=approved_on)
    group = application.group
    if not group.is_active:
        raise ValidationError(_("The group is closed: move the application to another group."))
    duplicates = application_duplicates(application)
    if duplicates:
        raise ValidationError(
            {
                field: _("%(member)s already holds this number: return the application.")
                % {"member": member}
                for field, member in duplicates.items()
            }
        )
    joined = application.joined_union_on or approved_on
    member = groups.member_create(
        by=by,
        employee_no=application.employee_no,
        name=application.name,
        group=group,
        joined_group_on=approved_on,
        joined_union_on=joined,
        card_no=card_no_assign(workshop=group.workshop, year=approved_on.year),
        **application.member_details(),
    )
    application.status = ApplicationStatus.APPROVED
    application.decided_by = by
    application.decided_on = approved_on
    application.member = member
    application.full_clean()
    _as(by, application)
    application.save()
    return member


def application_duplicates(application: Application) -> dict[str, Member]:
    """The members who already hold the application's employee no. or identity number
    ({field: member}); the workshop union sees them, the applicant is never told."""
    found = {}
    for field in ("employee_no", "id_number"):
        value = getattr(application, field)
        member = value and Member.objects.filter(**{field: value}).first()
        if member:
            found[field] = member
    return found


@transaction.atomic
def application_return(*, application: Application, by, reason: str) -> Application:
    """The workshop union returns the application with the reason the applicant sees."""
    application = _locked(application)
    require_allowed(by, DECIDE, application)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the application is returned.")})
    application.status = ApplicationStatus.RETURNED
    application.return_reason = reason.strip()
    application.decided_by = by
    application.decided_on = timezone.localdate()
    application.full_clean()
    _as(by, application)
    application.save()
    return application


def application_status_lookup(*, reference: str, check_code: str) -> Application | None:
    """The application the reference and check code open, or None (the same answer for a
    wrong code and an unknown reference)."""
    application = (
        Application.objects.select_related("group__workshop", "member")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if application is None or not application.check_code_matches(check_code):
        return None
    return application


# Joining links -------------------------------------------------------------------------------


@transaction.atomic
def join_link_create(
    *, by, workshop: WorkshopUnion, group: UnionGroup | None = None, expires_on=None
) -> JoinLink:
    link = JoinLink(workshop=workshop, group=group, expires_on=expires_on, created_by=by)
    require_allowed(by, CHANGE, link)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def join_link_close(*, link: JoinLink, by) -> JoinLink:
    require_allowed(by, CHANGE, link)
    link.is_active = False
    link.save(update_fields=["is_active"])
    return link


# Employee counts -------------------------------------------------------------------------


@transaction.atomic
def employee_count_set(*, by, workshop: WorkshopUnion, month: date, employees: int):
    """Record (or correct) the employees of a workshop union in a month."""
    month = month.replace(day=1)
    count = EmployeeCount.objects.filter(workshop=workshop, month=month).first()
    if count is None:
        count = EmployeeCount(workshop=workshop, month=month)
    require_allowed(by, CHANGE, count)
    count.employees = employees
    count.recorded_by = by
    count.full_clean(validate_constraints=False)
    _as(by, count)
    count.save()
    return count


@transaction.atomic
def employee_counts_import(*, by, rows: list[tuple[WorkshopUnion, date, int]]) -> int:
    """Record the rows of a checked workbook, all of them or none."""
    for workshop, month, employees in rows:
        employee_count_set(by=by, workshop=workshop, month=month, employees=employees)
    return len(rows)


# Transfers and retirement ---------------------------------------------------------------------


@transaction.atomic
def transfer_out(
    *,
    member: Member,
    by,
    to_organisation: str,
    transferred_on: date,
    reason: str,
    to_union: str = "",
    dues_paid_until: date | None = None,
) -> Transfer:
    """会籍转移: the member goes to another organisation. Their membership here ends
    (转出) and the introduction letter gets the next number of the year."""
    require_allowed(by, MANAGE, member)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("This member has already left the union."))
    groups.member_leave(
        member=member,
        left_on=transferred_on,
        reason=_("Transferred to %(organisation)s") % {"organisation": to_organisation.strip()},
        by=by,
        kind=LeaveKind.TRANSFERRED,
    )
    transfer = Transfer(
        member=member,
        letter_no=letter_no_assign(year=transferred_on.year),
        to_organisation=to_organisation.strip(),
        to_union=to_union.strip(),
        transferred_on=transferred_on,
        reason=reason.strip(),
        dues_paid_until=dues_paid_until,
        recorded_by=by,
    )
    transfer.full_clean()
    _as(by, transfer)
    transfer.save()
    return transfer


@transaction.atomic
def member_retire(
    *, member: Member, by, retired_on: date, to_group: UnionGroup | None = None
) -> Member:
    """退休 as a 退休会员: the member stays in the union, marked retired, and (if a
    retirees' group is chosen) moves to it. Ending the membership at retirement is the
    leave form's 退休."""
    require_allowed(by, MANAGE, member)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("This member has left the union."))
    if member.is_retired:
        raise ValidationError(_("This member is already marked retired."))
    check_not_in_future(retired_on=retired_on)
    if to_group is not None and to_group.pk != member.group_id:
        member = groups.member_move(
            member=member, to_group=to_group, moved_on=retired_on, by=by, note=_("Retired")
        )
    return groups.member_update(member=member, by=by, is_retired=True)


def may_decide(user, application: Application) -> bool:
    return application.is_waiting and allows(user, DECIDE, application)


def require_decider(user, application: Application) -> None:
    if not allows(user, DECIDE, application):
        raise PermissionDenied
