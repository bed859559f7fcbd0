"""What the care tasks offer the other apps' pages (see unionhome.extensions)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, VIEW, allows

from .models import OVERSEE, WORK, CareTask, LifeEvent
from .selectors import SOON_DAYS

__all__ = ["group_links", "member_links", "navigation", "todo_items"]


def navigation(user):
    if CareTask.objects.may(user, VIEW):
        return [(_("Care tasks"), "caretasks:list")]
    return []


def group_links(user, group):
    if not allows(user, VIEW, CareTask(group=group)):
        return []
    return [(_("Care tasks"), reverse("caretasks:list") + f"?group={group.pk}")]


def member_links(user, member):
    # An unsaved event of the member lets the scope rule judge what does not exist yet.
    if not allows(user, CHANGE, LifeEvent(member=member, group=member.group)):
        return []
    return [
        (
            _("Report a hospital stay or family event"),
            reverse("caretasks:event_new") + f"?member={member.pk}",
        )
    ]


def todo_items(user):
    """A leader's (and HQ's) open tasks due within three days or late; a workshop union's
    late tasks of its groups. One query for each that the user's roles hold."""
    today = timezone.localdate()
    found = []
    if CareTask.objects.may(user, WORK):
        due = (
            CareTask.objects.restrict(user, WORK)
            .open()
            .filter(due_on__lte=today + timedelta(days=SOON_DAYS))
            .count()
        )
        if due:
            found.append((_("Care tasks due"), due, reverse("caretasks:list") + "?when=soon"))
    if CareTask.objects.may(user, OVERSEE):
        late = CareTask.objects.restrict(user, OVERSEE).open().filter(due_on__lt=today).count()
        if late:
            found.append(
                (_("Late care tasks of the groups"), late, reverse("caretasks:list") + "?when=late")
            )
    return found
