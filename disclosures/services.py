"""The six steps of a disclosure (提出 → 审查 → 公开 → 监督 → 反馈 → 整改) and the feedback
forms (意见表). Each service checks the acting user again, runs in one transaction and
moves the status forward only."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, VIEW, allows, require_allowed
from groups.models import Member, MemberStatus
from unionhome import uploads
from unionhome.dates import day_label

from .models import (
    ANSWER,
    FILE,
    IDENTITY,
    PROPOSE,
    RECORD,
    REVIEW,
    Disclosure,
    DisclosureSettings,
    Feedback,
    IdentityLook,
    Level,
    Status,
)


def _locked(disclosure: Disclosure) -> Disclosure:
    return (
        Disclosure.objects.select_for_update(of=("self",))
        .select_related("workshop", "group__workshop", "category")
        .get(pk=disclosure.pk)
    )


def _require_status(disclosure: Disclosure, *statuses, message) -> None:
    if disclosure.status not in statuses:
        raise ValidationError(message)


def _place(level: str, *, workshop=None, group=None) -> dict:
    if level == Level.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose the union group that discloses.")})
        return {"group": group, "workshop": group.workshop}
    if level == Level.WORKSHOP:
        if workshop is None:
            raise ValidationError({"workshop": _("Choose the workshop union that discloses.")})
        return {"workshop": workshop, "group": None}
    return {"workshop": None, "group": None}


# Predicates the pages use -------------------------------------------------------------------


def may_propose(user, level: str, *, workshop=None, group=None) -> bool:
    try:
        place = _place(level, workshop=workshop, group=group)
    except ValidationError:
        return False
    return allows(user, PROPOSE, Disclosure(level=level, **place))


def next_steps(user, disclosure: Disclosure, today: date | None = None) -> set[str]:
    """The steps the user may take on the disclosure now: the detail page's buttons."""
    today = today or timezone.localdate()
    status = disclosure.status
    office = allows(user, CHANGE, disclosure)
    steps = set()
    if office and status in (Status.PROPOSED, Status.RETURNED):
        steps.add("edit")
    if status == Status.PROPOSED and may_review(user, disclosure):
        steps.add("review")
    if office and status == Status.REVIEWED:
        steps.add("post")
    if office and status == Status.POSTED and today >= disclosure.posted_until:
        steps.add("end_supervision")
    if office and status in (Status.SUPERVISED, Status.FEEDBACK):
        steps.add("close")
    if status == Status.POSTED:
        if disclosure.is_open_for_feedback(today) and allows(user, FILE, disclosure):
            steps.add("feedback")
        if allows(user, RECORD, disclosure):
            steps.add("paper")
    return steps


def may_review(user, disclosure: Disclosure) -> bool:
    if not allows(user, REVIEW, disclosure):
        return False
    # The enterprise's own disclosures are reviewed at HQ by another person.
    return not (disclosure.level == Level.ENTERPRISE and disclosure.proposed_by_id == user.pk)


# 1 提出 ----------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_propose(
    *,
    by,
    level: str,
    category,
    title: str,
    content: str,
    planned_where: str,
    planned_days: int | None = None,
    workshop=None,
    group=None,
) -> Disclosure:
    """The disclosing office proposes a matter for disclosure (the 申报表): a group leader
    for the group, a workshop union for itself, HQ for the enterprise."""
    place = _place(level, workshop=workshop, group=group)
    rules = DisclosureSettings.current()
    disclosure = Disclosure(
        level=level,
        category=category,
        title=(title or "").strip(),
        content=(content or "").strip(),
        planned_where=(planned_where or "").strip(),
        planned_days=planned_days or rules.default_posting_days,
        proposed_by=by,
        proposed_at=timezone.now(),
        status=Status.PROPOSED,
        **place,
    )
    require_allowed(by, PROPOSE, disclosure)
    _check_days(disclosure.planned_days, rules, field="planned_days")
    if category is not None and not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    disclosure.full_clean()
    disclosure.save()
    return disclosure


def _check_days(days: int, rules, *, field: str) -> None:
    if days < rules.min_posting_days:
        raise ValidationError(
            {
                field: _("A notice stays posted for at least %(days)s days.")
                % {"days": rules.min_posting_days}
            }
        )


@transaction.atomic
def disclosure_update(
    *,
    by,
    disclosure: Disclosure,
    category,
    title: str,
    content: str,
    planned_where: str,
    planned_days: int,
) -> Disclosure:
    """The disclosing office changes a proposal not yet reviewed, or one returned to it;
    a returned one goes back to the reviewer."""
    disclosure = _locked(disclosure)
    require_allowed(by, CHANGE, disclosure)
    _require_status(
        disclosure,
        Status.PROPOSED,
        Status.RETURNED,
        message=_("Only a proposal not yet reviewed, or returned for changes, can be changed."),
    )
    _check_days(planned_days, DisclosureSettings.current(), field="planned_days")
    disclosure.category = category
    disclosure.title = (title or "").strip()
    disclosure.content = (content or "").strip()
    disclosure.planned_where = (planned_where or "").strip()
    disclosure.planned_days = planned_days
    disclosure.status = Status.PROPOSED
    disclosure.full_clean()
    disclosure.save()
    return disclosure


# 2 审查 ----------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_review(*, by, disclosure: Disclosure, approve: bool, note: str = "") -> Disclosure:
    """The level above reviews the proposal: approved for posting, or returned to the
    disclosing office with a note saying what to change."""
    disclosure = _locked(disclosure)
    require_allowed(by, REVIEW, disclosure)
    _require_status(
        disclosure, Status.PROPOSED, message=_("This disclosure is not waiting for review.")
    )
    if not may_review(by, disclosure):
        raise ValidationError(
            _("The enterprise's disclosures are reviewed by another person than the proposer.")
        )
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say what is to be changed before it is posted.")})
    disclosure.reviewed_by = by
    disclosure.reviewed_at = timezone.now()
    disclosure.review_note = note
    disclosure.status = Status.REVIEWED if approve else Status.RETURNED
    disclosure.full_clean()
    disclosure.save()
    return disclosure


# 3 公开 ----------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_post(
    *,
    by,
    disclosure: Disclosure,
    posted_on: date,
    posted_until: date,
    posted_where: str,
    photo,
) -> Disclosure:
    """The disclosing office records the posting: where, from when until when, and a photo
    of the notice board. The supervision period (监督) runs while it is posted."""
    disclosure = _locked(disclosure)
    require_allowed(by, CHANGE, disclosure)
    _require_status(
        disclosure,
        Status.REVIEWED,
        message=_("Only a reviewed disclosure can be posted."),
    )
    errors = {}
    today = timezone.localdate()
    if posted_on is None:
        errors["posted_on"] = _("Give the day it was posted.")
    elif posted_on > today:
        errors["posted_on"] = _("Record the posting once it is on the board.")
    if posted_until is None:
        errors["posted_until"] = _("Give the last day it stays posted.")
    elif posted_on is not None:
        rules = DisclosureSettings.current()
        days = (posted_until - posted_on).days + 1
        if days < rules.min_posting_days:
            errors["posted_until"] = _(
                "A notice stays posted for at least %(days)s days (first and last day counted)."
            ) % {"days": rules.min_posting_days}
    if not (posted_where or "").strip():
        errors["posted_where"] = _("Say where it is posted.")
    if not photo:
        errors["photo"] = _("Take or choose a photo of the notice on the board.")
    if errors:
        raise ValidationError(errors)
    try:
        file_type = uploads.validate_upload(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    if file_type.kind != uploads.IMAGE:
        raise ValidationError({"photo": _("The photo must be a picture (JPG, PNG, GIF or WebP).")})
    disclosure.photo.save(f"notice.{file_type.extension}", photo, save=False)
    disclosure.photo_thumb.save("thumb.jpg", uploads.thumbnail(photo), save=False)
    disclosure.photo_mime = file_type.mime
    disclosure.posted_on = posted_on
    disclosure.posted_until = posted_until
    disclosure.posted_where = posted_where.strip()
    disclosure.posted_by = by
    disclosure.status = Status.POSTED
    disclosure.full_clean()
    disclosure.save()
    return disclosure


# 4 监督 ----------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_end_supervision(*, by, disclosure: Disclosure, today: date | None = None):
    """The notice comes down on its last day or later: the supervision period ends. With
    every feedback answered the disclosure is at 反馈 at once; else it waits for the
    answers."""
    today = today or timezone.localdate()
    disclosure = _locked(disclosure)
    require_allowed(by, CHANGE, disclosure)
    _require_status(
        disclosure, Status.POSTED, message=_("This disclosure is not in its supervision period.")
    )
    if today < disclosure.posted_until:
        raise ValidationError(
            _("It stays posted until %(day)s; the supervision period ends then.")
            % {"day": day_label(disclosure.posted_until)}
        )
    disclosure.supervision_ended_at = timezone.now()
    unanswered = disclosure.feedback.filter(answered_at__isnull=True).exists()
    disclosure.status = Status.SUPERVISED if unanswered else Status.FEEDBACK
    disclosure.save()
    return disclosure


# Feedback (意见表) ------------------------------------------------------------------------------


@transaction.atomic
def feedback_file(*, by, disclosure: Disclosure, text: str, member: Member | None = None):
    """An employee's 意见表 on a posted disclosure in its supervision period: a member
    through their own login (FILE), or their group leader recording the paper form on their
    behalf (RECORD, `member` named; until the supervision is ended, the box is emptied at
    the end)."""
    disclosure = _locked(disclosure)
    text = (text or "").strip()
    if member is None:
        require_allowed(by, FILE, disclosure)
        member = Member.objects.restrict(by, VIEW).filter(user=by).first()
        if member is None:
            raise PermissionDenied
        if not disclosure.is_open_for_feedback():
            raise ValidationError(
                _("Feedback is taken while the notice is posted (%(start)s to %(end)s).")
                % {
                    "start": day_label(disclosure.posted_on) or "—",
                    "end": day_label(disclosure.posted_until) or "—",
                }
            )
        on_paper = False
    else:
        require_allowed(by, RECORD, disclosure)
        if disclosure.status != Status.POSTED:
            raise ValidationError(_("The supervision period of this disclosure is over."))
        if not (
            allows(by, CHANGE, member)
            and member.status == MemberStatus.ACTIVE
            and _audience_holds(disclosure, member)
        ):
            raise ValidationError({"member": _("Choose a member of your group.")})
        on_paper = True
    if not text:
        raise ValidationError({"text": _("Write the opinion.")})
    feedback = Feedback(
        disclosure=disclosure, member=member, filed_by=by, on_paper=on_paper, text=text
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def _audience_holds(disclosure: Disclosure, member: Member) -> bool:
    if disclosure.level == Level.ENTERPRISE:
        return True
    if disclosure.level == Level.WORKSHOP:
        return member.group.workshop_id == disclosure.workshop_id
    return member.group_id == disclosure.group_id


@transaction.atomic
def feedback_answer(*, by, feedback: Feedback, answer: str) -> Feedback:
    """The disclosing office answers a feedback form (once). When the supervision is over
    and this was the last one open, the disclosure reaches 反馈."""
    feedback = Feedback.objects.select_for_update(of=("self",)).get(pk=feedback.pk)
    disclosure = _locked(feedback.disclosure)
    feedback.disclosure = disclosure
    require_allowed(by, ANSWER, feedback)
    if feedback.answered_at is not None:
        raise ValidationError(_("This feedback is already answered."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    feedback.answer = answer.strip()
    feedback.answered_by = by
    feedback.answered_at = timezone.now()
    feedback.full_clean()
    feedback.save()
    if (
        disclosure.status == Status.SUPERVISED
        and not disclosure.feedback.filter(answered_at__isnull=True).exists()
    ):
        disclosure.status = Status.FEEDBACK
        disclosure.save(update_fields=["status"])
    return feedback


def feedback_author(*, by, feedback: Feedback, address=None) -> Member:
    """Who wrote a feedback form: HQ alone may look, and every look is logged."""
    require_allowed(by, IDENTITY, feedback)
    IdentityLook.objects.create(user=by, feedback=feedback, ip_address=address)
    return feedback.member


# 5/6 反馈 → 整改 -------------------------------------------------------------------------------


def may_raise_rectification(user, feedback: Feedback) -> bool:
    return (
        feedback.answered_at is not None
        and not feedback.disclosure.is_final
        and allows(user, ANSWER, feedback)
    )


@transaction.atomic
def feedback_rectify(
    *,
    by,
    feedback: Feedback,
    title: str,
    description: str = "",
    owner_department: str,
    owner_user=None,
    due_on: date | None,
    workshop=None,
):
    """From an answered feedback, the disclosing office raises a rectification (整改) in
    the shared tracker. An enterprise disclosure's item is given to the workshop union the
    office names (`workshop`); the others go to the disclosure's own place."""
    from rectifications.models import Kind
    from rectifications.selectors import rectifications_of
    from rectifications.services import rectification_raise

    feedback = Feedback.objects.select_for_update(of=("self",)).get(pk=feedback.pk)
    disclosure = _locked(feedback.disclosure)
    feedback.disclosure = disclosure
    require_allowed(by, ANSWER, feedback)
    if feedback.answered_at is None:
        raise ValidationError(_("Answer the feedback before raising a rectification from it."))
    if disclosure.is_final:
        raise ValidationError(_("This disclosure is closed."))
    if rectifications_of(source_model=Feedback, source_ids=[feedback.pk]):
        raise ValidationError(_("A rectification is already raised from this feedback."))
    if disclosure.level == Level.ENTERPRISE:
        if workshop is None:
            raise ValidationError(
                {"workshop": _("Choose the workshop union that answers for the rectification.")}
            )
    else:
        workshop = disclosure.workshop
    return rectification_raise(
        by=by,
        workshop=workshop,
        group=disclosure.group,
        kind=Kind.FEEDBACK,
        source=feedback,
        title=title,
        description=description,
        owner_department=owner_department,
        owner_user=owner_user,
        due_on=due_on,
    )


@transaction.atomic
def disclosure_close(*, by, disclosure: Disclosure) -> Disclosure:
    """The disclosing office closes the disclosure once the supervision is over and every
    feedback is answered: 整改 when rectifications were raised from its feedback, else
    closed."""
    from rectifications.selectors import rectifications_of

    disclosure = _locked(disclosure)
    require_allowed(by, CHANGE, disclosure)
    if disclosure.status in (Status.SUPERVISED, Status.POSTED):
        open_count = disclosure.feedback.filter(answered_at__isnull=True).count()
        if open_count:
            raise ValidationError(
                _(
                    "%(count)s feedback form(s) not answered yet: answer every one before "
                    "closing the disclosure."
                )
                % {"count": open_count}
            )
    if disclosure.status == Status.POSTED:
        raise ValidationError(_("End the supervision period before closing the disclosure."))
    _require_status(
        disclosure,
        Status.SUPERVISED,
        Status.FEEDBACK,
        message=_("Only a disclosure whose supervision period is over can be closed."),
    )
    ids = list(disclosure.feedback.values_list("pk", flat=True))
    raised = rectifications_of(source_model=Feedback, source_ids=ids)
    disclosure.status = Status.RECTIFIED if raised else Status.CLOSED
    disclosure.closed_by = by
    disclosure.closed_at = timezone.now()
    disclosure.save()
    return disclosure
