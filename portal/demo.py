"""Demo member logins: one member of the leader's group with an activated login (username
"member", the demo password), one with a code waiting to be used, and two suggestions,
one of them answered."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from groups.models import Member
from unionhome.demo import DEMO_PASSWORD, DemoContext

from .models import ActivationCode, LoginEvent, Suggestion, SuggestionKind, SuggestionStatus
from .services import member_login_code_issue


def seed(context: DemoContext) -> None:
    if context.is_mine:
        return
    users = context.shared.get("users", {})
    leader = users.get("leader")
    workshop = users.get("workshop")
    if leader is None:
        return
    group_id = leader.role_assignments.get(role="group_leader").group_id
    members = list(
        Member.objects.active()
        .filter(group_id=group_id)
        .exclude(posts__post="leader")
        .select_related("group")
        .order_by("employee_no")[:2]
    )
    if len(members) < 2:
        return
    member, pending = members
    user_model = get_user_model()
    user = member.user or user_model.objects.filter(username="member").first() or user_model()
    user.username = "member"
    user.name = member.name
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    if member.user_id != user.pk:
        member.user = user
        member.save(update_fields=["user"])
    if not ActivationCode.objects.filter(member=member).exists():
        record, _code = member_login_code_issue(member=member, by=leader)
        ActivationCode.objects.filter(pk=record.pk).update(used_at=timezone.now())
        LoginEvent.objects.create(member=member, kind=LoginEvent.Kind.ACTIVATED, by=user)
    # A code printed for a second member, not used yet (its slip is in their hands).
    if not ActivationCode.objects.live().filter(member=pending).exists():
        member_login_code_issue(member=pending, by=leader)
    if not Suggestion.objects.filter(member=member).exists():
        Suggestion.objects.create(
            member=member,
            group=member.group,
            kind=SuggestionKind.SUGGESTION,
            text="建议职工小家增设一台微波炉，方便夜班职工热饭。",
        )
        Suggestion.objects.create(
            member=member,
            group=member.group,
            kind=SuggestionKind.FEEDBACK,
            text="上月组织的安全知识竞赛很好，希望每季度办一次。",
            status=SuggestionStatus.ANSWERED,
            accepted_by=workshop,
            accepted_at=timezone.now(),
            reply="感谢建议，车间工会已将其列入下季度活动计划。",
            answered_by=workshop,
            answered_at=timezone.now(),
        )
    context.logins.append(("member", "会员", f"{member.group.workshop} · {member.group}"))
