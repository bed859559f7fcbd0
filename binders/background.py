"""The binders' background work: a workshop union's binders as one zip (jobs app)."""

import os
import tempfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import VIEW
from groups.models import WorkshopUnion
from jobs.registry import JobError, JobFile, job_kind

from . import services


@job_kind("binders.workshop", gettext_lazy("Records binders of a workshop union"))
def workshop_binders(job, progress) -> JobFile:
    """One PDF a group of the workshop union, zipped; the groups are those the job's user
    may read now (their scope is checked again, not taken from when they asked)."""
    params = job.params or {}
    workshop = (
        WorkshopUnion.objects.restrict(job.user, VIEW).filter(pk=params.get("workshop")).first()
    )
    if workshop is None:
        raise JobError(_("The workshop union is not within your reach."))
    year = int(params["year"])
    if not services.workshop_groups(workshop=workshop, reader=job.user).exists():
        raise JobError(_("None of the workshop union's groups is within your reach."))
    # The job moves the file once done; on any failure (an interruption too) it is
    # removed here, never left behind in the temporary folder.
    handle = tempfile.NamedTemporaryFile(suffix=".zip", delete=False)  # noqa: SIM115 - the job moves it
    try:
        with handle:
            services.workshop_binders_zip(
                workshop=workshop, year=year, reader=job.user, progress=progress, out=handle
            )
    except BaseException:
        os.remove(handle.name)
        raise
    return JobFile(name=services.workshop_zip_name(workshop, year), path=handle.name)
