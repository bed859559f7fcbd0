"""What member logins offer the other apps' pages and the scope rule (unionhome.extensions)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scoping import CHANGE, Grant, allows
from groups.models import Member, MemberStatus

from .models import ANSWER, FILE, ActivationCode, Suggestion

__all__ = [
    "group_links",
    "home_page",
    "member_links",
    "navigation",
    "role_grants",
    "todo_items",
]


def _own_member(user) -> Member | None:
    """The member record the user's login belongs to: loaded with the user on every
    request (accounts.backends), else one query."""
    if get_user_model().member.related.is_cached(user):
        return getattr(user, "member", None)
    return Member.objects.filter(user=user).select_related("group").first()


def role_grants(user):
    """The member role of an active member's login: their group (their group's
    activities and calendar) and their own record (Reach.SELF)."""
    member = _own_member(user)
    if member is None or member.status != MemberStatus.ACTIVE:
        return []
    return [
        Grant(
            Role.MEMBER,
            group_id=member.group_id,
            group_workshop_id=member.group.workshop_id,
            member_id=member.pk,
        )
    ]


def navigation(user):
    items = []
    member = _own_member(user)
    if member is not None and Suggestion.objects.may(user, FILE):
        items.append((_("My page"), "portal:home"))
    if Suggestion.objects.may(user, ANSWER):
        items.append((_("Suggestions"), "portal:suggestion_list"))
    return items


def member_links(user, member):
    """Open, re-issue or disable the member's login: those who change the member's
    details (the leader of their group, their workshop union, HQ)."""
    if not allows(user, CHANGE, ActivationCode(member=member)):
        return []
    url = reverse("portal:member_login", args=[member.pk])
    if member.user_id is None:
        return [(_("Open a login"), url)]
    links = [(_("Issue a new activation code"), url)]
    if member.user.is_active:
        links.append(
            (_("Disable the login"), reverse("portal:member_login_disable", args=[member.pk]))
        )
    return links


def group_links(user, group):
    if not allows(user, CHANGE, group):
        return []
    return [(_("Member login slips"), reverse("portal:group_slips", args=[group.pk]))]


def todo_items(user):
    """Suggestions not yet answered, for the workshop union and HQ: one count."""
    if not Suggestion.objects.may(user, ANSWER):
        return []
    count = Suggestion.objects.restrict(user, ANSWER).open().count()
    if not count:
        return []
    return [(_("Suggestions to answer"), count, reverse("portal:suggestion_list") + "?open=1")]


def home_page(request):
    """The member's own page at the home address, for a login that is a member's only."""
    from .views import member_home

    if _own_member(request.user) is None or not Suggestion.objects.may(request.user, FILE):
        return []
    return [member_home(request)]
