"""The one django-tasks task: run a job by its kind's runner.

Every job goes through `run_job(job_id)`, so the queue holds only ids; the job's own row
holds everything else (its parameters, progress, outcome). Whatever the runner does, the
job ends done or failed: never left "running" by an exception.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Job, JobSettings, JobStatus
from .registry import JobError, JobFile, get_kind

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds): a runner may report every row.
PROGRESS_INTERVAL = 1.0


def generic_failure() -> str:
    return _(
        "The job failed. Please try again; if it fails again, contact the system administrator."
    )


def interrupted() -> str:
    return _("The job was interrupted (the worker stopped). Please try again.")


class ProgressWriter:
    """The `progress(done, total)` a runner is given: the figures are kept on the job at
    once, written to the database at most once a `PROGRESS_INTERVAL`."""

    def __init__(self, job: Job, clock=time.monotonic):
        self.job = job
        self.clock = clock
        self.written_at: float | None = None

    def __call__(self, done: int, total: int, *, flush: bool = False) -> None:
        """`flush`: write now whatever the interval (the end of a step)."""
        done, total = max(0, int(done)), max(0, int(total))
        self.job.done, self.job.total = done, total
        now = self.clock()
        waited = self.written_at is not None and now - self.written_at < PROGRESS_INTERVAL
        if waited and not flush:
            return
        self.written_at = now
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total)


def _store(job: Job, made: JobFile) -> None:
    suffix = PurePath(made.name).suffix
    if made.content is not None:
        job.file.save(f"job{suffix}", ContentFile(made.content), save=False)
    elif made.path:
        with open(made.path, "rb") as handle:
            job.file.save(f"job{suffix}", File(handle), save=False)
        os.remove(made.path)
    else:
        raise ValueError("a JobFile needs content or a path")
    job.file_name = made.name[:200]


def execute(job_id: int) -> None:
    """Run the queued job `job_id` now (the worker calls this through `run_job`)."""
    started = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=started,
        finished_at=None,
        attempts=F("attempts") + 1,
        done=0,
        total=0,
        message="",
        details=[],
    )
    if not claimed:
        # Gone (purged, its user deleted) or already run: a second delivery does nothing.
        logger.info("job %s is not waiting; nothing to run", job_id)
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _run(job)


def _run(job: Job) -> None:
    progress = ProgressWriter(job)
    try:
        made = get_kind(job.kind).runner(job, progress)
        if made is not None:
            _store(job, made)
    except JobError as error:
        _finish(job, JobStatus.FAILED, message=error.message, details=error.details)
    except Exception:
        logger.exception("job %s (%s) of user %s failed", job.pk, job.kind, job.user_id)
        _finish(job, JobStatus.FAILED, message=generic_failure())
    except BaseException:
        # The worker is stopping (a second Ctrl+C, SystemExit): the job ends failed, so
        # that its user may start it again, and the worker stops as asked.
        _finish(job, JobStatus.FAILED, message=interrupted())
        raise
    else:
        if job.total and job.done < job.total:
            job.done = job.total
        _finish(job, JobStatus.DONE, message=job.message)


def _finish(job: Job, status: str, *, message: str, details=()) -> None:
    """Write the outcome, if the row is still the run this worker claimed: a job marked
    failed meanwhile (the worker taken for dead, purge_jobs), retried or deleted keeps
    its state, and the file this run made is dropped."""
    now = timezone.now()
    written = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=status,
        message=message,
        details=list(details),
        finished_at=now,
        expires_at=now + timedelta(days=JobSettings.current().keep_days),
        done=job.done,
        total=job.total,
        file=job.file.name or "",
        file_name=job.file_name,
        input_file=job.input_file.name or "",
    )
    if written:
        job.status, job.message, job.details = status, message, list(details)
        job.finished_at = now
        return
    logger.warning("job %s is no longer this run's; its result is dropped", job.pk)
    if job.file:
        job.file.storage.delete(job.file.name)


@task()
def run_job(job_id: int) -> None:
    execute(job_id)
