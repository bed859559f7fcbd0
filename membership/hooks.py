"""What the membership app offers the other apps' pages (see unionhome.extensions)."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows
from groups.hooks import MemberStep
from groups.models import MANAGE

from .models import DECIDE, Application, ApplicationKind, ApplicationStatus
from .selectors import member_records


def navigation(user):
    if Application.objects.may(user, VIEW):
        return [(_("Joining"), "membership:application_list")]
    return []


def member_links(user, member):
    """Shown for a member still in the union."""
    if not allows(user, MANAGE, member):
        return []
    links = [(_("Transfer out"), reverse("membership:transfer_create", args=[member.pk]))]
    if not member.is_retired:
        links.append((_("Retire"), reverse("membership:member_retire", args=[member.pk])))
    return links


def todo_items(user):
    if not Application.objects.may(user, DECIDE):
        return []
    waiting = Application.objects.restrict(user, DECIDE).waiting().count()
    if not waiting:
        return []
    url = reverse("membership:application_list") + f"?status={ApplicationStatus.SUBMITTED}"
    return [(_("Applications to join to decide"), waiting, url)]


def member_timeline(user, member):
    """The application that made them a member (or took them in from another
    organisation), and their transfers out with the letter (two queries)."""
    applications, transfers, may_see_letters = member_records(user=user, member=member)
    steps = []
    for transfer in reversed(transfers):
        steps.append(
            MemberStep(
                transfer.transferred_on,
                gettext("Transferred out to %(organisation)s, letter %(number)s")
                % {"organisation": transfer.to_organisation, "number": transfer.letter_no},
                transfer.reason,
                reverse("membership:transfer_letter", args=[transfer.pk])
                if may_see_letters
                else "",
            )
        )
    for application in applications:
        url = (
            reverse("membership:application_detail", args=[application.pk])
            if allows(user, VIEW, application)
            else ""
        )
        if application.kind == ApplicationKind.TRANSFER_IN:
            what = gettext("Transferred in from %(organisation)s (letter %(number)s)") % {
                "organisation": application.former_organisation,
                "number": application.letter_no_received or "—",
            }
        else:
            what = gettext("Application %(reference)s approved, membership card no. %(card)s") % {
                "reference": application.reference,
                "card": member.card_no or "—",
            }
        steps.append(MemberStep(application.decided_on, what, "", url))
    return steps


@dataclass
class OwnApplication:
    what: str
    reference: str
    state: str
    since: date
    done: bool


def member_applications(user, member):
    """The member's applications to join (and the ones filed under their employee no.),
    for their own page in the portal."""
    found = []
    for application in Application.objects.filter(employee_no=member.employee_no).order_by(
        "-submitted_at"
    ):
        state = application.get_status_display()
        if application.status == ApplicationStatus.RETURNED:
            state = f"{state}: {application.return_reason}"
        found.append(
            OwnApplication(
                what=application.get_kind_display(),
                reference=application.reference,
                state=state,
                since=application.decided_on or application.submitted_at.date(),
                done=application.status != ApplicationStatus.SUBMITTED,
            )
        )
    return found
