"""The organisation's background jobs (jobs app): a large member import, a large member
export. The pages start them above the row counts HQ sets (jobs.JobSettings)."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import CHANGE, VIEW
from jobs.registry import JobError, JobFile, job_kind
from unionhome.tabular import TableReadError

from . import selectors, services
from .exports import member_export, member_export_filename, member_export_shows_personal
from .imports import ImportConflict, member_import_apply, member_import_plan, member_import_read
from .models import Member, PersonalAccess

MEMBER_IMPORT = "groups.member_import"
MEMBER_EXPORT = "groups.member_export"


def _counted(rows, progress, total):
    for done, row in enumerate(rows, start=1):
        progress(done, total)
        yield row


class _Reported(list):
    """A plan's rows that tell `progress` how far the apply step got as it takes them
    (batch by batch, or one by one): the bar is not full while members are written."""

    def __init__(self, rows, progress, offset, total):
        super().__init__(rows)
        self.progress, self.offset, self.total = progress, offset, total

    def __getitem__(self, index):
        if isinstance(index, slice):
            self.progress(self.offset + (index.start or 0), self.total)
        return super().__getitem__(index)

    def __iter__(self):
        for done, row in enumerate(super().__iter__()):
            self.progress(self.offset + done, self.total)
            yield row


@job_kind(MEMBER_IMPORT, gettext_lazy("Member import"))
def member_import_job(job, progress):
    """The confirmed import of a large roster: checked again against the data as it is now
    and applied all or nothing; every problem named with its row, nothing changed then."""
    by = job.user
    if not Member.objects.may(by, CHANGE):
        raise JobError(_("You may no longer change members; nothing was imported."))
    if not job.input_file or not job.input_file.storage.exists(job.input_file.name):
        raise JobError(_("The uploaded file is gone; upload it again."))
    # Reading and checking the rows is the first half; writing them the second.
    rows = int(job.params.get("rows") or 0)
    total = 2 * rows
    try:
        with job.input_file.open("rb") as handle:
            sheet = member_import_read(handle, job.params["name"])
            sheet.rows = _counted(sheet.rows, progress, total)
            plan = member_import_plan(sheet=sheet, by=by, chosen=job.params.get("mapping"))
    except TableReadError as error:
        raise JobError(str(error)) from error
    if not plan.ok:
        details = [
            _("Row %(row)s · %(column)s: %(message)s")
            % {"row": e.row, "column": e.column or "-", "message": e.message}
            for e in plan.errors
        ]
        message = _("The file has %(count)s problems; nothing was imported.") % {
            "count": plan.errors.total
        }
        if plan.errors.total > len(details):
            message += " " + _(
                "The first %(shown)s are listed; correct them and import the file again."
            ) % {"shown": len(details)}
        raise JobError(message, details)
    total = 2 * plan.rows_read
    progress(plan.rows_read, total, flush=True)
    creates = len(plan.creates)
    plan.creates = _Reported(plan.creates, progress, plan.rows_read, total)
    plan.updates = _Reported(plan.updates, progress, plan.rows_read + creates, total)
    try:
        member_import_apply(plan=plan, by=by, address=job.params.get("address"))
    except ImportConflict as conflict:
        raise JobError(str(conflict)) from conflict
    progress(total, total, flush=True)
    job.message = _(
        "Import done: %(created)s members enrolled, %(updated)s updated (%(moved)s moved), "
        "%(unchanged)s unchanged."
    ) % {
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "moved": len(plan.moves),
        "unchanged": plan.unchanged,
    }
    # The roster holds identity numbers: it goes as soon as it is imported.
    job.input_file.delete(save=False)
    return None


@job_kind(MEMBER_EXPORT, gettext_lazy("Member export"))
def member_export_job(job, progress):
    """The member list as filtered when the export was asked for, with what the user may
    read now (the list's own scope)."""
    user = job.user
    if not Member.objects.may(user, VIEW, others=True):
        raise JobError(_("You may no longer read the member list."))
    fmt = job.params.get("fmt")
    if fmt not in ("xlsx", "csv"):
        raise JobError(_("Unknown export format."))
    params = QueryDict(mutable=True)
    for key, values in (job.params.get("query") or {}).items():
        params.setlist(key, [str(v) for v in values])
    member_filter = selectors.member_list(user=user, params=params)
    response = member_export(member_filter.qs, fmt, user=user, progress=progress)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if member_export_shows_personal(user):
        services.personal_access_log(
            user=user,
            action=PersonalAccess.Action.EXPORT,
            summary=_("Member export (.%(format)s)") % {"format": fmt},
            address=job.params.get("address"),
        )
    return JobFile(name=member_export_filename(fmt), content=content)
