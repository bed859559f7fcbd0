"""Changes to terms, representatives and sessions. Every function checks the acting user
with the scope rule (the action of the row's level), runs in one transaction and raises
ValidationError with the reason next to the field it concerns; nothing is half-written.

The steps of a session:
- enterprise congress, group meeting: planned → held | failed (流会);
- workshop union's congress: planned → declared (申报) to HQ → approved, or returned to
  planned with the reason → held | failed.
Held needs the attendance taken and the quorum met; otherwise only failed is allowed. A
resolution is recorded only on a held session and raises its rectification item.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scoping import VIEW, allows, require_allowed
from groups import services as group_services
from groups.models import Member, MemberStatus
from improvements import selectors as improvement_selectors
from improvements import services as improvement_services
from improvements.models import Improvement
from rectifications import services as rectification_services
from unionhome import uploads

from .models import (
    APPROVE,
    DECLARE,
    Attendance,
    CongressSettings,
    Delegation,
    Level,
    Motion,
    MotionDecision,
    MotionSource,
    Representative,
    Resolution,
    Session,
    SessionPhoto,
    SessionStatus,
    Term,
    record_action,
)


def _today() -> date:
    return timezone.localdate()


def _text(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("workshop", "group", "term")
        .get(pk=session.pk)
    )


def _require_record(by, session: Session) -> None:
    require_allowed(by, record_action(session.level), session)


def _sync(target: Session, source: Session) -> None:
    for field in Session._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _save_once(obj, field: str, message) -> None:
    """Save a new row whose uniqueness was checked under a lock; should another request
    still have written the same row first, the constraint's refusal becomes the message
    next to the field rather than a server error."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError({field: message}) from error


def _locked_term(term: Term) -> Term:
    return Term.objects.select_for_update().get(pk=term.pk)


# Terms and representatives ------------------------------------------------------------


@transaction.atomic
def term_create(*, by, level: str, workshop=None, name: str, starts_on, ends_on) -> Term:
    """A new term of representatives: the enterprise's (HQ) or a workshop union's (its own
    union). Two terms of one congress cannot overlap."""
    if level not in (Level.ENTERPRISE, Level.WORKSHOP):
        raise ValidationError({"level": _("A term is of the enterprise or of a workshop union.")})
    term = Term(
        level=level,
        workshop=workshop if level == Level.WORKSHOP else None,
        name=(name or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    require_allowed(by, record_action(level), term)
    term.full_clean()
    # Two requests recording overlapping terms at once: the check below runs while this
    # transaction holds the congress rules' one record, so the second waits for the first.
    CongressSettings.objects.select_for_update().filter(pk=CongressSettings.current().pk).first()
    overlapping = Term.objects.filter(
        level=level,
        workshop=term.workshop,
        starts_on__lte=term.ends_on,
        ends_on__gte=term.starts_on,
    )
    if overlapping.exists():
        raise ValidationError(
            {"starts_on": _("Another term of this congress covers part of these dates.")}
        )
    term.save()
    return term


@transaction.atomic
def delegation_add(*, by, term: Term, name: str, workshop=None) -> Delegation:
    """A delegation (代表团组) of the term."""
    require_allowed(by, record_action(term.level), term)
    name = _text(name, "name", _("Name the delegation."))
    term = _locked_term(term)
    duplicate = _("The term has a delegation of this name already.")
    if term.delegations.filter(name=name).exists():
        raise ValidationError({"name": duplicate})
    if workshop is not None and term.workshop_id and workshop.pk != term.workshop_id:
        raise ValidationError({"workshop": _("The delegation is of the term's workshop union.")})
    delegation = Delegation(term=term, name=name, workshop=workshop)
    delegation.sort_order = term.delegations.count() + 1
    delegation.full_clean()
    _save_once(delegation, "name", duplicate)
    return delegation


def representative_choices(*, user, term: Term):
    """Members the user may make representatives of the term: active members within the
    user's reach, of the term's workshop union for a workshop union's term, not yet
    representatives of it."""
    members = Member.objects.restrict(user, VIEW).active()
    if term.workshop_id:
        members = members.filter(group__workshop_id=term.workshop_id)
    return (
        members.exclude(representative_terms__term=term)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__sort_order", "name", "pk")
    )


@transaction.atomic
def representative_add(
    *, by, term: Term, member: Member, delegation: Delegation | None = None, role: str = ""
) -> Representative:
    """Make a member a representative of the term, in a delegation of the term."""
    require_allowed(by, record_action(term.level), term)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError({"member": _("Only a member of the union can be a representative.")})
    term = _locked_term(term)
    already = _("%(name)s is a representative of this term already.") % {"name": member.name}
    if Representative.objects.filter(term=term, member=member).exists():
        raise ValidationError({"member": already})
    if (
        by is not None
        and not representative_choices(user=by, term=term).filter(pk=member.pk).exists()
    ):
        raise ValidationError(
            {"member": _("Choose a member of the term's workshop union within your reach.")}
        )
    if delegation is not None and delegation.term_id != term.pk:
        raise ValidationError({"delegation": _("Choose a delegation of this term.")})
    representative = Representative(
        term=term,
        member=member,
        delegation=delegation,
        role=(role or "").strip(),
        added_by=by,
    )
    representative.full_clean()
    _save_once(representative, "member", already)
    if term.is_current(_today()):
        group_services.member_set_representative(member=member, value=True, by=by)
    return representative


def _represents_now(member_id, *, today: date, excluding=None) -> bool:
    """Whether the member is a representative of a term current today."""
    rows = Representative.objects.filter(
        member_id=member_id, term__starts_on__lte=today, term__ends_on__gte=today
    )
    if excluding is not None:
        rows = rows.exclude(pk=excluding.pk)
    return rows.exists()


@transaction.atomic
def representative_remove(*, by, representative: Representative) -> None:
    """Take a representative off the term (代表资格终止); their attendance stays. The
    member's 职工代表 mark goes with it unless they represent in another current term."""
    term = representative.term
    require_allowed(by, record_action(term.level), representative)
    today = _today()
    if term.is_current(today) and not _represents_now(
        representative.member_id, today=today, excluding=representative
    ):
        group_services.member_set_representative(member=representative.member, value=False, by=by)
    representative.delete()


# Sessions ------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    by,
    level: str,
    workshop=None,
    group=None,
    title: str,
    planned_on: date,
    agenda: str,
    number: str = "",
    place: str = "",
) -> Session:
    """Plan a session. A congress belongs to the term of representatives covering its
    planned date (the enterprise's or the workshop union's); a group meeting to its group."""
    if level not in Level.values:
        raise ValidationError({"level": _("Choose the level of the session.")})
    if level == Level.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose the union group.")})
        workshop = group.workshop
    elif level == Level.WORKSHOP:
        if workshop is None:
            raise ValidationError({"workshop": _("Choose the workshop union.")})
        group = None
    else:
        workshop = group = None
    session = Session(
        level=level,
        workshop=workshop,
        group=group,
        title=(title or "").strip(),
        number=(number or "").strip(),
        place=(place or "").strip(),
        planned_on=planned_on,
        agenda=(agenda or "").strip(),
        created_by=by,
    )
    require_allowed(by, record_action(level), session)
    if level != Level.GROUP and planned_on is not None:
        session.term = (
            Term.objects.covering(level=level, workshop_id=session.workshop_id, on=planned_on)
            .order_by("-starts_on")
            .first()
        )
        if session.term is None:
            raise ValidationError(
                {
                    "planned_on": _(
                        "No term of representatives of this congress covers this date; "
                        "record the term and its representatives first."
                    )
                }
            )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(
    *,
    by,
    session: Session,
    title: str,
    planned_on: date,
    agenda: str,
    number: str = "",
    place: str = "",
) -> Session:
    """Change a planned session (a returned workshop congress is corrected this way)."""
    _require_record(by, session)
    locked = _locked(session)
    if locked.status != SessionStatus.DRAFT:
        raise ValidationError(_("Only a planned session can be changed."))
    locked.title = (title or "").strip()
    locked.planned_on = planned_on
    locked.agenda = (agenda or "").strip()
    locked.number = (number or "").strip()
    locked.place = (place or "").strip()
    if locked.level != Level.GROUP and planned_on is not None:
        term = Term.objects.covering(
            level=locked.level, workshop_id=locked.workshop_id, on=planned_on
        ).first()
        if term is None:
            raise ValidationError(
                {"planned_on": _("No term of representatives of this congress covers this date.")}
            )
        locked.term = term
    locked.full_clean()
    locked.save()
    _sync(session, locked)
    return locked


def may_declare(user, session: Session) -> bool:
    return (
        session.level == Level.WORKSHOP
        and session.status == SessionStatus.DRAFT
        and allows(user, DECLARE, session)
    )


@transaction.atomic
def session_declare(*, by, session: Session) -> Session:
    """申报: the workshop union declares its congress to HQ, ahead of the planned date."""
    if session.level != Level.WORKSHOP:
        raise ValidationError(_("Only a workshop union's congress is declared to HQ."))
    require_allowed(by, DECLARE, session)
    locked = _locked(session)
    if locked.status != SessionStatus.DRAFT:
        raise ValidationError(_("Only a planned congress can be declared."))
    days = CongressSettings.current().declare_days_ahead
    latest = locked.planned_on - timedelta(days=days)
    if _today() > latest:
        if days:
            message = _(
                "A congress is declared at least %(days)s days before it is held; "
                "move the planned date or ask HQ."
            ) % {"days": days}
        else:
            message = _("The planned date has passed; a congress is declared before it is held.")
        raise ValidationError({"planned_on": message})
    locked.status = SessionStatus.DECLARED
    locked.declared_by = by
    locked.declared_at = timezone.now()
    locked.return_note = ""
    locked.save()
    _sync(session, locked)
    return locked


def may_approve(user, session: Session) -> bool:
    return session.status == SessionStatus.DECLARED and allows(user, APPROVE, session)


@transaction.atomic
def session_approve(*, by, session: Session) -> Session:
    """HQ approves a declared workshop congress: only then may it be held."""
    require_allowed(by, APPROVE, session)
    locked = _locked(session)
    if locked.status != SessionStatus.DECLARED:
        raise ValidationError(_("Only a declared congress can be approved."))
    locked.status = SessionStatus.APPROVED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.save()
    _sync(session, locked)
    return locked


@transaction.atomic
def session_return(*, by, session: Session, reason: str) -> Session:
    """HQ returns a declared workshop congress with the reason; the workshop union corrects
    it and declares it again."""
    require_allowed(by, APPROVE, session)
    reason = _text(reason, "reason", _("Say why the congress is returned."))
    locked = _locked(session)
    if locked.status != SessionStatus.DECLARED:
        raise ValidationError(_("Only a declared congress can be returned."))
    locked.status = SessionStatus.DRAFT
    locked.return_note = reason[:300]
    locked.save()
    _sync(session, locked)
    return locked


def expected_attendees(session: Session):
    """Who is expected: the term's representatives (active members) for a congress, the
    group's current members for a group meeting."""
    if session.level == Level.GROUP:
        members = Member.objects.filter(group_id=session.group_id)
    else:
        members = Member.objects.filter(representative_terms__term_id=session.term_id)
    return members.filter(status=MemberStatus.ACTIVE).order_by("name", "pk")


def may_record(user, session: Session) -> bool:
    return allows(user, record_action(session.level), session)


def approval_missing(session: Session) -> bool:
    return session.needs_approval and session.status != SessionStatus.APPROVED


def may_take_attendance(user, session: Session) -> bool:
    return not session.is_closed and not approval_missing(session) and may_record(user, session)


@transaction.atomic
def attendance_record(*, by, session: Session, present_ids) -> Session:
    """Take the attendance (签到): every expected attendee, present or not. A workshop
    congress is not sat before HQ has approved it."""
    _require_record(by, session)
    locked = _locked(session)
    if locked.is_closed:
        raise ValidationError(_("The session is closed; its attendance cannot change."))
    if approval_missing(locked):
        raise ValidationError(
            _("A workshop union's congress is held only after HQ has approved it.")
        )
    expected = list(expected_attendees(locked))
    if not expected:
        raise ValidationError(
            _("Nobody is expected: the term has no representatives, or the group no members.")
        )
    present = {int(pk) for pk in present_ids}
    unknown = present - {m.pk for m in expected}
    if unknown:
        raise ValidationError({"present": _("Tick only those expected at the session.")})
    Attendance.objects.filter(session=locked).delete()
    Attendance.objects.bulk_create(
        Attendance(session=locked, member=m, present=m.pk in present) for m in expected
    )
    locked.expected_count = len(expected)
    locked.present_count = len(present)
    locked.attendance_taken_at = timezone.now()
    locked.save()
    _sync(session, locked)
    return locked


def quorum_met(session: Session, settings: CongressSettings | None = None) -> bool:
    settings = settings or CongressSettings.current()
    return session.attendance_taken and settings.quorum_met(
        present=session.present_count, expected=session.expected_count
    )


def _closing(by, session: Session, held_on: date | None) -> tuple[Session, date]:
    _require_record(by, session)
    locked = _locked(session)
    if locked.is_closed:
        raise ValidationError(_("The session is already recorded as held or failed."))
    if approval_missing(locked):
        raise ValidationError(
            _("A workshop union's congress is held only after HQ has approved it.")
        )
    if not locked.attendance_taken:
        raise ValidationError(_("Take the attendance first."))
    held_on = held_on or locked.planned_on
    if held_on > _today():
        raise ValidationError({"held_on": _("The session cannot be recorded before its day.")})
    _check_held_on(locked, held_on)
    return locked, held_on


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _check_held_on(session: Session, held_on: date) -> None:
    """The day a session sat lies within its term, not before HQ approved it (a workshop
    union's congress), and not before it was planned — a session recorded after the fact
    may have sat on its planned day, not earlier."""
    term = session.term
    if term is not None and not term.is_current(held_on):
        raise ValidationError(
            {
                "held_on": _(
                    "The session sat within its term, %(starts)s to %(ends)s; give a day in it."
                )
                % {"starts": date_format(term.starts_on), "ends": date_format(term.ends_on)}
            }
        )
    approved_on = _day(session.approved_at)
    if session.needs_approval and approved_on is not None and held_on < approved_on:
        raise ValidationError(
            {
                "held_on": _("HQ approved the congress on %(day)s; it cannot have sat before that.")
                % {"day": date_format(approved_on)}
            }
        )
    created_on = _day(session.created_at) or session.planned_on
    if created_on <= session.planned_on:
        earliest = created_on
        message = _("The session was planned on %(day)s; it cannot have sat before that.")
    else:  # recorded after the fact
        earliest = session.planned_on
        message = _("The session was planned for %(day)s; it cannot have sat before that.")
    if held_on < earliest:
        raise ValidationError({"held_on": message % {"day": date_format(earliest)}})


@transaction.atomic
def session_hold(*, by, session: Session, held_on: date | None = None) -> Session:
    """Record the session as held: only with the quorum present."""
    locked, held_on = _closing(by, session, held_on)
    settings = CongressSettings.current()
    if not settings.quorum_met(present=locked.present_count, expected=locked.expected_count):
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(expected)s present (%(rate)s%%), at least "
                "%(quorum)s%% are needed. The session can only be recorded as failed (流会)."
            )
            % {
                "present": locked.present_count,
                "expected": locked.expected_count,
                "rate": locked.rate,
                "quorum": settings.quorum_percent,
            }
        )
    locked.status = SessionStatus.HELD
    locked.held_on = held_on
    locked.closed_by = by
    locked.save()
    _sync(session, locked)
    return locked


@transaction.atomic
def session_fail(*, by, session: Session, held_on: date | None = None) -> Session:
    """Record the session as failed (流会): the quorum was not present."""
    locked, held_on = _closing(by, session, held_on)
    if CongressSettings.current().quorum_met(
        present=locked.present_count, expected=locked.expected_count
    ):
        raise ValidationError(_("The quorum is present: record the session as held."))
    locked.status = SessionStatus.FAILED
    locked.held_on = held_on
    locked.closed_by = by
    locked.save()
    _sync(session, locked)
    return locked


@transaction.atomic
def minutes_save(*, by, session: Session, minutes: str) -> Session:
    """The minutes of a held session."""
    _require_record(by, session)
    locked = _locked(session)
    if locked.status not in (SessionStatus.HELD, SessionStatus.FAILED):
        raise ValidationError(_("Minutes are kept once the session has sat."))
    locked.minutes = (minutes or "").strip()
    locked.full_clean()
    locked.save()
    _sync(session, locked)
    return locked


@transaction.atomic
def photo_add(*, by, session: Session, photo) -> SessionPhoto:
    """A photo of the session (a phone's camera in the hall)."""
    _require_record(by, session)
    if session.status not in (SessionStatus.HELD, SessionStatus.FAILED):
        raise ValidationError({"photo": _("Photos are added once the session has sat.")})
    if photo is None:
        raise ValidationError({"photo": _("Choose a photo.")})
    try:
        file_type = uploads.validate_upload(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    if file_type.kind != uploads.IMAGE:
        raise ValidationError({"photo": _("The photo must be a picture (JPEG, PNG …).")})
    uploads.validate_total([*(p.photo.size for p in session.photos.all()), photo.size])
    record = SessionPhoto(session=session, mime=file_type.mime, uploaded_by=by)
    record.photo.save(f"session.{file_type.extension}", photo, save=False)
    record.thumbnail.save("thumb.jpg", uploads.thumbnail(photo), save=False)
    record.save()
    return record


# Motions ------------------------------------------------------------


def may_add_motion(user, session: Session) -> bool:
    return session.status != SessionStatus.FAILED and may_record(user, session)


def proposer_choices(*, user, session: Session, source: str = MotionSource.MEMBER):
    """Who may put a motion: a representative of the term (REPRESENTATIVE), or any active
    member within the session's part of the organisation that the user reaches (MEMBER)."""
    if source == MotionSource.REPRESENTATIVE:
        if session.term_id is None:
            return Member.objects.none()
        members = Member.objects.filter(representative_terms__term_id=session.term_id)
    else:
        members = Member.objects.restrict(user, VIEW)
        if session.group_id:
            members = members.filter(group_id=session.group_id)
        elif session.workshop_id:
            members = members.filter(group__workshop_id=session.workshop_id)
    return (
        members.filter(status=MemberStatus.ACTIVE)
        .select_related("group")
        .order_by("name", "pk")
        .distinct()
    )


def improvement_choices(*, user, session: Session):
    """The adopted suggestions of the session's workshop union not yet on a motion."""
    if session.workshop_id is None:
        return improvement_selectors.motion_candidates(user=user, workshop=None).none()
    return improvement_selectors.motion_candidates(user=user, workshop=session.workshop_id)


@transaction.atomic
def motion_add(
    *,
    by,
    session: Session,
    source: str,
    proposer: Member | None = None,
    improvement=None,
    title: str = "",
    content: str = "",
) -> Motion:
    """提案: a motion from a member, a representative of the term, or an adopted
    rationalisation suggestion (which is then marked as taken by a motion)."""
    _require_record(by, session)
    if session.status == SessionStatus.FAILED:
        raise ValidationError(_("A failed session takes no motions."))
    if source not in MotionSource.values:
        raise ValidationError({"source": _("Say who puts the motion.")})
    taken = _(
        "Choose an adopted suggestion of the session's workshop union that is not on a motion yet."
    )
    if source == MotionSource.IMPROVEMENT:
        if improvement is None:
            raise ValidationError({"improvement": _("Choose the suggestion.")})
        # Lock the suggestion first: of two requests putting it on a motion at once, the
        # second waits here and then finds it taken.
        improvement = Improvement.objects.select_for_update().get(pk=improvement.pk)
        if Motion.objects.filter(improvement=improvement).exists() or (
            by is not None
            and not improvement_choices(user=by, session=session).filter(pk=improvement.pk).exists()
        ):
            raise ValidationError({"improvement": taken})
        proposer = improvement.member
        title = (title or "").strip() or improvement.title
        content = (content or "").strip() or improvement.proposal
    else:
        improvement = None
        if proposer is None:
            raise ValidationError({"proposer": _("Choose who puts the motion.")})
        if source == MotionSource.REPRESENTATIVE and session.level == Level.GROUP:
            raise ValidationError(
                {"source": _("A group meeting has no representatives; the member puts it.")}
            )
        if (
            by is not None
            and not proposer_choices(user=by, session=session, source=source)
            .filter(pk=proposer.pk)
            .exists()
        ):
            if source == MotionSource.REPRESENTATIVE:
                message = _("%(name)s is not a representative of this term.")
            else:
                message = _("%(name)s is not a member within the session's reach.")
            raise ValidationError({"proposer": message % {"name": proposer.name}})
    motion = Motion(
        session=session,
        source=source,
        proposer=proposer,
        improvement=improvement,
        title=_text(title, "title", _("Give the motion a title.")),
        content=_text(content, "content", _("Write what the motion proposes.")),
        recorded_by=by,
    )
    motion.full_clean(exclude=["session", "proposer", "improvement", "recorded_by"])
    _save_once(motion, "improvement", taken)
    if improvement is not None:
        improvement_services.improvement_mark_motion(improvement=improvement)
    return motion


def may_decide(user, motion: Motion) -> bool:
    return (
        motion.session.status != SessionStatus.FAILED
        and not motion.decision
        and may_record(user, motion.session)
    )


@transaction.atomic
def motion_decide(*, by, motion: Motion, decision: str, reason: str = "") -> Motion:
    """立案 or 不立案 (with the reason)."""
    _require_record(by, motion.session)
    motion = Motion.objects.select_for_update().select_related("session").get(pk=motion.pk)
    if motion.decision:
        raise ValidationError(_("The motion is already decided."))
    if motion.session.status == SessionStatus.FAILED:
        raise ValidationError(_("A failed session decides no motions."))
    if decision not in (MotionDecision.FILED, MotionDecision.NOT_FILED):
        raise ValidationError({"decision": _("Choose filed or not filed.")})
    reason = (reason or "").strip()
    if decision == MotionDecision.NOT_FILED and not reason:
        raise ValidationError({"reason": _("Say why the motion is not filed.")})
    motion.decision = decision
    motion.decision_reason = reason[:300]
    motion.decided_by = by
    motion.decided_at = timezone.now()
    motion.save()
    return motion


# Resolutions ------------------------------------------------------------


def may_resolve(user, session: Session) -> bool:
    return session.status == SessionStatus.HELD and may_record(user, session)


@transaction.atomic
def resolution_add(
    *,
    by,
    session: Session,
    text: str,
    owner_department: str,
    due_on: date | None,
    owner_user=None,
    workshop=None,
    motion: Motion | None = None,
) -> Resolution:
    """决议 of a held session, with the department answerable and the deadline; its
    follow-up (落实) is a rectification item raised at once. A workshop union's or a
    group's resolution is carried out there; an enterprise resolution names the workshop
    union that carries it out."""
    _require_record(by, session)
    if session.status != SessionStatus.HELD:
        raise ValidationError(_("Resolutions are recorded only for a session that was held."))
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write the resolution.")
    if not (owner_department or "").strip():
        errors["owner_department"] = _(
            "Say which department is responsible for carrying out the resolution."
        )
    if due_on is None:
        errors["due_on"] = _("Give the date by which the resolution is carried out.")
    if session.workshop_id:
        workshop = session.workshop
    elif workshop is None:
        errors["workshop"] = _("Choose the workshop union that carries the resolution out.")
    if motion is not None and motion.session_id != session.pk:
        errors["motion"] = _("Choose a motion of this session.")
    elif (
        motion is not None
        and not Motion.objects.filter(pk=motion.pk, decision=MotionDecision.FILED).exists()
    ):
        errors["motion"] = _("A resolution comes from a motion that was filed (立案).")
    if errors:
        raise ValidationError(errors)
    if owner_user is None and session.level == Level.GROUP:
        # The group's leader carries its own meeting's resolutions unless another login is
        # named: the rectification tracker lets only a union office report otherwise.
        owner_user = by
    resolution = Resolution(
        session=session,
        text=text,
        workshop=workshop,
        owner_department=owner_department.strip(),
        owner_user=owner_user,
        due_on=due_on,
        motion=motion,
        recorded_by=by,
    )
    resolution.full_clean(exclude=["session", "workshop", "owner_user", "motion", "recorded_by"])
    resolution.save()
    rectification_services.rectification_raise(
        by=by,
        workshop=workshop,
        group=session.group,
        kind="resolution",
        source=resolution,
        title=_("Resolution: %(text)s") % {"text": text[:100]},
        description=text,
        owner_department=resolution.owner_department,
        owner_user=owner_user,
        due_on=due_on,
    )
    return resolution
