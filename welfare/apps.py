from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    """送温暖 and 帮扶: welfare cases, the hardship archive and care visits, with the
    sensitive details shown only to those entitled and every access logged."""

    name = "welfare"
    verbose_name = _("Welfare")
    demo_seeder = "welfare.demo.seed"
    hq_permissions = (
        "welfare.view_casetype",
        "welfare.add_casetype",
        "welfare.change_casetype",
        "welfare.view_requireddocument",
        "welfare.add_requireddocument",
        "welfare.change_requireddocument",
        "welfare.delete_requireddocument",
    )

    def ready(self):
        from . import metrics

        metrics.register_all()

    def navigation(self, user):
        from accounts.scoping import VIEW, Reach

        from .models import HardshipRecord, WelfareCase

        items = []
        if WelfareCase.objects.reach(user, VIEW) is not Reach.NONE:
            items.append((_("Welfare"), "welfare:case_list"))
        if HardshipRecord.objects.reach(user, VIEW) is not Reach.NONE:
            items.append((_("Hardship archive"), "welfare:archive_list"))
        return items

    def group_links(self, user, group):
        from django.urls import reverse

        from accounts.scoping import VIEW, allows

        if not allows(user, VIEW, group) or user.role == "evaluator":
            return []
        return [(_("Care"), reverse("welfare:care", args=[group.pk]))]

    def member_links(self, user, member):
        from django.urls import reverse

        from accounts.scoping import CHANGE, VIEW, Reach, allows

        from .models import APPLY, HardshipRecord, WelfareCase

        links = []
        if allows(user, CHANGE, member):
            links.append(
                (_("Record a care visit"), reverse("welfare:visit_create") + f"?member={member.pk}")
            )
        if WelfareCase.objects.reach(user, APPLY) is not Reach.NONE and allows(
            user, APPLY, _as_case(member)
        ):
            links.append(
                (_("Apply for assistance"), reverse("welfare:case_create") + f"?member={member.pk}")
            )
        if HardshipRecord.objects.reach(user, VIEW) is not Reach.NONE:
            links.append(
                (_("Hardship archive"), reverse("welfare:archive_list") + f"?member={member.pk}")
            )
        return links

    def todo_items(self, user):
        from .todo import items

        return items(user)


def _as_case(member):
    """A case of this member, unsaved: lets the scope rule judge an application before it
    exists."""
    from .models import WelfareCase

    return WelfareCase(member=member)
