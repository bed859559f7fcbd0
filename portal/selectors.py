"""What the member logins' pages show, each in a fixed number of queries."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from accounts.scoping import VIEW, scoped_object_or_404
from activities.models import Activity
from activities.periods import month_end, month_start, previous_month
from groups.models import Member, MemberStatus, UnionGroup
from homes.models import Notice
from unionhome.extensions import member_applications

from .models import ANSWER, ActivationCode, LoginEvent, Suggestion, SuggestionStatus

MEMBER_RELATED = (
    "group__workshop",
    "ethnicity",
    "political_status",
    "education",
    "employment_type",
    "skill_grade",
    "model_worker_level",
)


def own_member(*, user) -> Member:
    """The member record of the user's own login, with everything its page shows (one
    query); 404 for a login that is no member's."""
    member = (
        Member.objects.restrict(user, VIEW)
        .filter(user=user, status=MemberStatus.ACTIVE)
        .select_related(*MEMBER_RELATED)
        .first()
    )
    if member is None:
        raise Http404
    return member


@dataclass
class MemberHome:
    member: Member
    month: date
    weeks: list  # [[(day, activities, in month)]]
    activities: list  # this month's and last month's, newest first
    notices: list
    applications: list
    suggestions: list


def member_home(*, user) -> MemberHome:
    """A member's own page: their record, their group's activities of this month and
    last (activities are recorded once held, so there is no next month to show), the
    public notices running, their own applications and suggestions. Queries: the member,
    the activities, the notices, the suggestions, and one per app offering applications
    (welfare: one)."""
    member = own_member(user=user)
    today = timezone.localdate()
    month = month_start(today)
    activities = list(
        Activity.objects.restrict(user, VIEW)
        .of_groups([member.group_id])
        .filter(
            held_on__gte=previous_month(month),
            held_on__lte=month_end(month),
        )
        .select_related("area")
        .annotate(took_part=Count("participants", filter=Q(participants=member)))
        .order_by("-held_on", "-pk")
    )
    by_day = defaultdict(list)
    for activity in activities:
        if activity.held_on >= month:
            by_day[activity.held_on].append(activity)
    weeks = [
        [(day, by_day.get(day, []), day.month == month.month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    notices = list(
        Notice.objects.restrict(user, VIEW).filter(ends_on__gte=today).order_by("ends_on", "pk")[:5]
    )
    suggestions = list(
        Suggestion.objects.restrict(user, VIEW)
        .filter(member=member)
        .order_by("-filed_at", "-pk")[:10]
    )
    return MemberHome(
        member=member,
        month=month,
        weeks=weeks,
        activities=activities,
        notices=notices,
        applications=member_applications(user, member),
        suggestions=suggestions,
    )


@dataclass
class LoginPage:
    member: Member
    open_code: ActivationCode | None
    events: list


def member_login_page(*, user, pk: int, action: str) -> LoginPage:
    """A member's login as their leader, workshop union or HQ sees it: whether it is in
    use, the code waiting to be used, and its steps (who issued, activated, disabled).
    Queries: the member with their login, the open code, the steps."""
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop", "user"), user, action, pk=pk
    )
    open_code = (
        ActivationCode.objects.filter(member=member, used_at__isnull=True, voided_at__isnull=True)
        .select_related("issued_by")
        .first()
    )
    events = list(LoginEvent.objects.filter(member=member).select_related("by")[:20])
    return LoginPage(member=member, open_code=open_code, events=events)


def group_logins(*, user, pk: int, action: str):
    """A group's active members and the state of their logins, for printing slips:
    the group, then its members with their login and open code (two queries)."""
    group = scoped_object_or_404(UnionGroup.objects.select_related("workshop"), user, action, pk=pk)
    members = list(
        Member.objects.active()
        .filter(group=group)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "login_codes",
                queryset=ActivationCode.objects.filter(
                    used_at__isnull=True, voided_at__isnull=True
                ),
                to_attr="open_codes",
            )
        )
        .order_by("employee_no")
    )
    return group, members


def suggestion_list(*, user, params):
    """The suggestions the user answers, open ones first (or only: `open=1`), with the
    member and group (one query, plus the count of the page)."""
    suggestions = (
        Suggestion.objects.restrict(user, ANSWER)
        .select_related("member", "group__workshop")
        .order_by(F("answered_at").asc(nulls_first=True), "-filed_at", "-pk")
    )
    if params.get("open") == "1":
        suggestions = suggestions.open()
    status = params.get("status")
    if status in SuggestionStatus.values:
        suggestions = suggestions.filter(status=status)
    return suggestions


def suggestion_detail(*, user, pk: int) -> Suggestion:
    return scoped_object_or_404(
        Suggestion.objects.select_related(
            "member", "group__workshop", "accepted_by", "answered_by"
        ),
        user,
        VIEW,
        pk=pk,
    )
