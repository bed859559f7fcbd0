"""Changes to the organisation and its members. Each runs in one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from unionhome.validators import check_not_in_future

from .models import (
    MANAGE,
    GroupMembership,
    GroupPost,
    LeaveKind,
    Member,
    MemberStatus,
    PersonalAccess,
    Post,
    UnionGroup,
)

# A member's details as the 会员实名制 registration has them, in its order.
MEMBER_DETAIL_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "political_status",
    "education",
    "hukou_type",
    "employment_type",
    "work_started_on",
    "joined_union_on",
    "card_no",
    "phone",
    "position",
    "skill_grade",
    "model_worker_level",
    "is_worker_representative",
    "is_hardship",
    "is_model_worker",
    "is_retired",
)
# Seen and changed only by those the PERSONAL rule lets (models.PERSONAL).
PERSONAL_FIELDS = ("id_number", "hukou_type")
MEMBER_EDITABLE_FIELDS = ("employee_no", *MEMBER_DETAIL_FIELDS)


def personal_access_log(*, user, action: str, member=None, summary: str = "", address=None):
    """Append a line to the log of who saw or changed identity numbers and 户籍."""
    return PersonalAccess.objects.create(
        user=user, action=action, member=member, summary=str(summary)[:300], ip_address=address
    )


def _as(by, *objects) -> None:
    """Name the acting user in the change history, also outside a web request."""
    for obj in objects:
        obj._history_user = by


@transaction.atomic
def member_create(
    *,
    by,
    employee_no: str,
    name: str,
    group: UnionGroup,
    gender: str = "",
    joined_group_on: date | None = None,
    **details,
) -> Member:
    """Enrol a member in a union group; the group history starts that day.

    `details` are any of MEMBER_DETAIL_FIELDS; the gender and birth date may be left to the
    identity number."""
    unknown = set(details) - set(MEMBER_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"member_create does not know {sorted(unknown)}")
    require_allowed(by, CHANGE, group)
    details = {k: v.strip() if isinstance(v, str) else v for k, v in details.items()}
    member = Member(
        employee_no=employee_no.strip(), name=name.strip(), gender=gender, group=group, **details
    )
    member.full_clean()
    _as(by, member)
    member.save()
    GroupMembership.objects.create(
        member=member,
        group=group,
        started_on=joined_group_on or timezone.localdate(),
        recorded_by=by,
    )
    return member


@transaction.atomic
def member_update(*, member: Member, by, **changes) -> Member:
    """Correct a member's details (工号 included). Group and status change only through
    move / leave / rejoin, so that the history of groups stays whole."""
    unknown = set(changes) - set(MEMBER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"member_update cannot change {sorted(unknown)}")
    require_allowed(by, CHANGE, member)
    for field, value in changes.items():
        setattr(member, field, value.strip() if isinstance(value, str) else value)
    member.full_clean()
    _as(by, member)
    member.save()
    return member


def member_set_representative(*, member: Member, value: bool, by=None) -> None:
    """Mark or unmark the member as a workers' representative (职工代表): kept in step by
    the congresses app when it adds or removes a representative of a current term (its
    service checked its user). Written to the change history; no change, no write."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    member.is_worker_representative = value
    if locked.is_worker_representative == value:
        return
    locked.is_worker_representative = value
    _as(by, locked)
    locked.save(update_fields=["is_worker_representative", "updated_at"])


def _end_current_stretch(member: Member, *, on: date, field: str, note: str | None = None):
    """Close the member's open stretch in their group on `on` (not before it began)."""
    current = GroupMembership.objects.filter(member=member, ended_on__isnull=True).first()
    if current is None:
        return
    if on < current.started_on:
        raise ValidationError(
            {
                field: _("The member joined the current group on %(date)s.")
                % {"date": date_format(current.started_on)}
            }
        )
    current.ended_on = on
    if note is not None:
        current.note = note
    current.save(update_fields=["ended_on", "note"])


@transaction.atomic
def member_move(
    *, member: Member, to_group: UnionGroup, moved_on: date, by, note: str = ""
) -> Member:
    """Move a member to another union group; the old stretch ends and a new one starts.

    The member's posts in the old group fall vacant.
    """
    member = Member.objects.select_for_update().select_related("group").get(pk=member.pk)
    require_allowed(by, MANAGE, member)
    require_allowed(by, MANAGE, to_group)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("A member who has left the union cannot be moved."))
    if to_group.pk == member.group_id:
        raise ValidationError({"to_group": _("The member is already in this group.")})
    check_not_in_future(moved_on=moved_on)
    _end_current_stretch(member, on=moved_on, field="moved_on")
    GroupMembership.objects.create(
        member=member, group=to_group, started_on=moved_on, note=note, recorded_by=by
    )
    GroupPost.objects.filter(member=member).delete()
    member.group = to_group
    _as(by, member)
    member.save(update_fields=["group", "updated_at"])
    return member


@transaction.atomic
def member_leave(
    *, member: Member, left_on: date, reason: str, by, kind: str = LeaveKind.QUIT
) -> Member:
    """End a member's membership (离会, 退休, 去世, or 转出 with a transfer letter, which
    the membership app records with it); their record and history stay."""
    member = Member.objects.select_for_update().select_related("group").get(pk=member.pk)
    require_allowed(by, MANAGE, member)
    if member.status == MemberStatus.LEFT:
        raise ValidationError(_("This member has already left the union."))
    check_not_in_future(left_on=left_on)
    _end_current_stretch(member, on=left_on, field="left_on", note=reason)
    GroupPost.objects.filter(member=member).delete()
    member.status = MemberStatus.LEFT
    member.left_on = left_on
    member.left_kind = kind
    member.left_reason = reason.strip()
    member.full_clean()
    _as(by, member)
    member.save()
    return member


@transaction.atomic
def member_rejoin(*, member: Member, group: UnionGroup, rejoined_on: date, by) -> Member:
    """Take a member who left back into the union, in a group of the user's reach."""
    member = Member.objects.select_for_update().select_related("group").get(pk=member.pk)
    require_allowed(by, MANAGE, member)
    require_allowed(by, MANAGE, group)
    if member.status != MemberStatus.LEFT:
        raise ValidationError(_("This member has not left the union."))
    check_not_in_future(rejoined_on=rejoined_on)
    if rejoined_on < member.left_on:
        raise ValidationError({"rejoined_on": _("The member left on a later date.")})
    GroupMembership.objects.create(
        member=member, group=group, started_on=rejoined_on, note=_("Rejoined"), recorded_by=by
    )
    member.group = group
    member.status = MemberStatus.ACTIVE
    member.left_on = None
    member.left_kind = ""
    member.left_reason = ""
    member.full_clean()
    _as(by, member)
    member.save()
    return member


@transaction.atomic
def group_post_assign(
    *, group: UnionGroup, post: str, member: Member | None, since: date, by
) -> GroupPost | None:
    """Give a post of the group to one of its members, or leave it vacant (member=None).

    The group leader post is the workshop union's appointment; the other posts the group
    leader may fill.
    """
    group = UnionGroup.objects.select_for_update().get(pk=group.pk)
    require_allowed(by, MANAGE if post == Post.LEADER else CHANGE, group)
    if member is not None:
        if member.group_id != group.pk or member.status != MemberStatus.ACTIVE:
            raise ValidationError({"member": _("Choose an active member of this group.")})
        check_not_in_future(since=since)
    existing = GroupPost.objects.filter(group=group, post=post).first()
    if member is None:
        if existing is not None:
            _as(by, existing)
            existing.delete()
        return None
    if existing is None:
        existing = GroupPost(group=group, post=post)
    existing.member = member
    existing.since = since
    existing.full_clean()
    _as(by, existing)
    existing.save()
    return existing
