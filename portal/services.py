"""Member logins and suggestions: every change goes through here.

A member's login is activated with a one-time code (`member_login_code_issue`, printed on
a slip), then the member's own password (`member_login_activate`); those who change the
member's details (their group leader, workshop union, HQ) issue codes and disable logins.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, grants_changed, require_allowed
from groups.models import Member, MemberStatus, UnionGroup

from .codes import code_hash, new_code, normalise_code
from .models import (
    ANSWER,
    FILE,
    ActivationCode,
    ActivationFailure,
    LoginEvent,
    PortalSettings,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)


class ActivationRefused(ValidationError):
    """The activation page's answer when the code does not open a login. `code` says
    why: "no_match" (an unknown employee no. and a wrong code say the same), "locked",
    "used", "replaced", "expired"."""

    def __init__(self, message, code):
        super().__init__(message, code=code)


def member_login_state(member: Member) -> str:
    """ "active", "disabled" or "none": whether the member has a login in use."""
    if member.user_id is None:
        return "none"
    return "active" if member.user.is_active else "disabled"


def member_has_login(member: Member) -> bool:
    return member_login_state(member) == "active"


def _void_open_codes(member: Member, now) -> None:
    ActivationCode.objects.filter(
        member=member, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)


@transaction.atomic
def member_login_code_issue(*, member: Member, by) -> tuple[ActivationCode, str]:
    """A new activation code for the member's login (to open it, or to choose a new
    password when it is forgotten): the one issued before is voided. Returns the record
    and the code itself, which is not kept: print or send it now."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .get(pk=member.pk)
    )
    require_allowed(by, CHANGE, member)
    if not member.is_active_member:
        raise ValidationError(_("A member who left the union has no login."))
    now = timezone.now()
    _void_open_codes(member, now)
    code = new_code()
    record = ActivationCode(
        member=member,
        code_hash=code_hash(member.pk, code),
        issued_by=by,
        issued_at=now,
        expires_at=now + timedelta(days=PortalSettings.current().code_valid_days),
    )
    record.full_clean()
    record.save()
    LoginEvent.objects.create(member=member, kind=LoginEvent.Kind.ISSUED, by=by, at=now)
    return record, code


def member_login_codes_issue(*, group: UnionGroup, by) -> list[tuple[Member, ActivationCode, str]]:
    """Codes for every active member of the group whose login is not in use (never
    opened, or disabled), to print the group's slips at once; their earlier codes are
    voided. Members with a login in use keep it (a new code for one of them is issued on
    their own page)."""
    require_allowed(by, CHANGE, group)
    members = (
        Member.objects.active()
        .filter(group=group)
        .exclude(user__is_active=True)
        .select_related("group")
        .order_by("employee_no")
    )
    issued = []
    with transaction.atomic():
        for member in members:
            record, code = member_login_code_issue(member=member, by=by)
            issued.append((member, record, code))
    return issued


def activation_locked(*, employee_no: str, address: str | None) -> bool:
    """Too many wrong codes lately for this employee no., or from this address."""
    rules = PortalSettings.current()
    since = timezone.now() - timedelta(minutes=rules.lock_minutes)
    recent = ActivationFailure.objects.filter(at__gte=since)
    if recent.filter(employee_no=employee_no).count() >= rules.failure_limit:
        return True
    return bool(address) and (recent.filter(address=address).count() >= rules.address_failure_limit)


NO_MATCH = "no_match"


def member_login_activate(
    *, employee_no: str, code: str, password: str, username: str = "", address: str | None = None
):
    """Open the member's login with the code on their slip and the password they choose;
    returns the user to sign in. The username is the employee no. unless the member
    chooses another. An unknown employee no. and a wrong code get the same answer and
    both count towards the lockout (per number and per address); a right code that is
    used, replaced or expired says so. A password the rules refuse leaves the code
    unused."""
    employee_no = (employee_no or "").strip()
    if activation_locked(employee_no=employee_no, address=address):
        raise ActivationRefused(
            _("Too many wrong codes. Wait a while and try again, or ask your group leader."),
            "locked",
        )
    member = (
        Member.objects.filter(employee_no=employee_no, status=MemberStatus.ACTIVE)
        .select_related("group", "user")
        .first()
    )
    # The hash is worked out for an unknown number too: both answers take the same time.
    digest = code_hash(member.pk if member else 0, code)
    record = (
        ActivationCode.objects.filter(member=member, code_hash=digest).first()
        if member and normalise_code(code)
        else None
    )
    if record is None:
        ActivationFailure.objects.create(employee_no=employee_no[:20], address=address)
        raise ActivationRefused(
            _(
                "The employee no. and the activation code do not match. Check both on your "
                "slip (the code has no 0, O, 1 or I)."
            ),
            NO_MATCH,
        )
    if record.used_at:
        raise ActivationRefused(
            _("This code has been used. To choose a new password, ask for a new code."), "used"
        )
    if record.voided_at:
        raise ActivationRefused(
            _("A newer code was issued after this one. Use the newest slip."), "replaced"
        )
    if record.expires_at <= timezone.now():
        raise ActivationRefused(
            _("This code has expired. Ask your group leader for a new one."), "expired"
        )
    return _activate(member=member, record=record, username=username, password=password)


@transaction.atomic
def _activate(*, member: Member, record: ActivationCode, username: str, password: str):
    record = ActivationCode.objects.select_for_update().get(pk=record.pk)
    if record.used_at or record.voided_at:  # the same slip, twice at once
        raise ActivationRefused(
            _("This code has been used. To choose a new password, ask for a new code."), "used"
        )
    user_model = get_user_model()
    user = member.user or user_model()
    user.username = (username or "").strip() or member.employee_no
    user.name = member.name
    user.is_active = True
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update({k: v for k, v in error.message_dict.items() if k == "username"})
        if not errors:
            raise
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    if member.user_id != user.pk:
        member.user = user
        member.save(update_fields=["user"])
    now = timezone.now()
    record.used_at = now
    record.save(update_fields=["used_at"])
    LoginEvent.objects.create(member=member, kind=LoginEvent.Kind.ACTIVATED, by=user, at=now)
    ActivationFailure.objects.filter(employee_no=member.employee_no).delete()
    grants_changed()
    return user


@transaction.atomic
def member_login_disable(*, member: Member, by) -> Member:
    """Stop the member's login (a lost phone, a member who should no longer sign in):
    their sessions end at the next page, and their open code is voided. A new code opens
    it again, with a new password."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .get(pk=member.pk)
    )
    require_allowed(by, CHANGE, member)
    if not member_has_login(member):
        raise ValidationError(_("This member has no login in use."))
    now = timezone.now()
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    _void_open_codes(member, now)
    LoginEvent.objects.create(member=member, kind=LoginEvent.Kind.DISABLED, by=by, at=now)
    grants_changed()
    return member


# Suggestions -----------------------------------------------------------------------------


@transaction.atomic
def suggestion_file(*, member: Member, by, kind: str, text: str) -> Suggestion:
    """A member files a suggestion, opinion or feedback with their workshop union."""
    suggestion = Suggestion(
        member=member, group=member.group, kind=kind or SuggestionKind.SUGGESTION, text=text.strip()
    )
    require_allowed(by, FILE, suggestion)
    if not suggestion.text:
        raise ValidationError({"text": _("Write your suggestion.")})
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, by) -> Suggestion:
    """The workshop union (or HQ) takes the suggestion up: the member sees 已受理."""
    suggestion = (
        Suggestion.objects.select_for_update().select_related("group").get(pk=suggestion.pk)
    )
    require_allowed(by, ANSWER, suggestion)
    if suggestion.status != SuggestionStatus.FILED:
        raise ValidationError(_("This suggestion is taken up already."))
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.accepted_by = by
    suggestion.accepted_at = timezone.now()
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_answer(*, suggestion: Suggestion, by, reply: str) -> Suggestion:
    """The reply the member reads; answering takes the suggestion up if nobody had."""
    suggestion = (
        Suggestion.objects.select_for_update().select_related("group").get(pk=suggestion.pk)
    )
    require_allowed(by, ANSWER, suggestion)
    if suggestion.status == SuggestionStatus.ANSWERED:
        raise ValidationError(_("This suggestion is answered already."))
    if not reply.strip():
        raise ValidationError({"reply": _("Write the reply.")})
    now = timezone.now()
    if suggestion.accepted_at is None:
        suggestion.accepted_by, suggestion.accepted_at = by, now
    suggestion.status = SuggestionStatus.ANSWERED
    suggestion.reply = reply.strip()
    suggestion.answered_by = by
    suggestion.answered_at = now
    suggestion.full_clean()
    suggestion.save()
    return suggestion
