"""What waits for a user in activities: reports to review, their own group's report to file."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE
from unionhome.dates import day_label

from .models import REVIEW, MonthlyReport
from .periods import month_start, previous_month, report_deadline
from .selectors import overdue_rows, reports_to_review


def todo_items(user):
    found = []
    if MonthlyReport.objects.may(user, REVIEW):
        waiting = reports_to_review(user).count()
        if waiting:
            found.append(
                (_("Monthly reports to review"), waiting, reverse("activities:report_review"))
            )
    # The groups the user leads: their own reports to file (not every group they reach).
    for group_id in sorted(MonthlyReport.objects.scope(user, CHANGE).group_ids):
        found.extend(_own_report_items(user, group_id))
    return found


def _own_report_items(user, group_id):
    found = []
    overdue = overdue_rows(user=user, group_id=group_id)
    if overdue:
        found.append(
            (
                _("Your overdue monthly reports"),
                len(overdue),
                reverse("activities:report_overdue") + f"?group={group_id}",
            )
        )
    due_month = previous_month(month_start(timezone.localdate()))
    deadline = report_deadline(due_month)
    if timezone.localdate() <= deadline:
        report = MonthlyReport.objects.filter(group_id=group_id, month=due_month).first()
        if report is None or report.is_editable:
            found.append(
                (
                    _("Last month's report, due by %(day)s")
                    % {"day": day_label(deadline, "short")},
                    1,
                    reverse(
                        "activities:report_detail",
                        args=[group_id, due_month.year, due_month.month],
                    ),
                )
            )
    return found
