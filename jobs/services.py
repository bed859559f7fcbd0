"""Starting, retrying and clearing away background jobs."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job, JobSettings, JobStatus
from .registry import get_kind

logger = logging.getLogger(__name__)


def _enqueue_on_commit(job: Job) -> None:
    # The worker must find the job's row: queue it once the transaction that wrote it has
    # committed (in a request without a transaction, at once).
    job_id = job.pk

    def enqueue():
        from .tasks import run_job

        result = run_job.enqueue(job_id)
        Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def _keep_days() -> timedelta:
    return timedelta(days=JobSettings.current().keep_days)


@transaction.atomic
def job_start(*, user, kind: str, params: dict, title: str, input_file: str = "") -> Job:
    """Queue a job of `kind` for `user` and return it ("queued"); the worker runs it once
    the current transaction commits. `input_file`: the name of a file in the default
    storage the job reads (an upload): it is moved to the job's own name, deleted with
    the job; FileNotFoundError when it is no longer there."""
    get_kind(kind)  # a kind no app registers is a programming error, found here
    now = timezone.now()
    job = Job(
        user=user,
        kind=kind,
        title=str(title)[:200],
        params=params,
        language=translation.get_language() or "",
        # Even a job that is never run goes in time (purge_jobs).
        expires_at=now + _keep_days(),
    )
    if input_file:
        _move_input(job, input_file)
    job.save()
    _enqueue_on_commit(job)
    return job


def _move_input(job: Job, name: str) -> None:
    if not default_storage.exists(name):
        raise FileNotFoundError(name)
    with default_storage.open(name, "rb") as handle:
        job.input_file.save(PurePath(name).name, File(handle), save=False)
    default_storage.delete(name)


def job_find_active(*, user, kind: str, params: dict, ignore=("address",)) -> Job | None:
    """The user's waiting or running job of `kind` with the same parameters (but those
    in `ignore`), if any: a second click waits on it instead of starting another."""

    def same(p):
        return {k: v for k, v in (p or {}).items() if k not in ignore}

    wanted = same(params)
    active = Job.objects.filter(
        user=user, kind=kind, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).only("pk", "params")
    return next((job for job in active if same(job.params) == wanted), None)


@transaction.atomic
def job_retry(*, job: Job, by) -> Job:
    """Run a failed job again with the same parameters: its own user only."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if by is None or job.user_id != by.pk:
        raise PermissionDenied
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Only a failed job can be run again."))
    job.status = JobStatus.QUEUED
    job.done = job.total = 0
    job.message = ""
    job.details = []
    job.started_at = job.finished_at = None
    job.expires_at = timezone.now() + _keep_days()
    job.language = translation.get_language() or job.language
    job.save()
    _enqueue_on_commit(job)
    return job


def _delete_file(field) -> None:
    if not field:
        return
    try:
        field.storage.delete(field.name)
    except OSError:
        logger.warning("could not delete %s", field.name, exc_info=True)


def jobs_purge_expired(*, now=None) -> int:
    """Delete the jobs kept past `expires_at` (JobSettings.keep_days after they were
    started, or after they finished), their files and input files with them (the
    post_delete handler): the roster of a failed import goes with its job. Returns how
    many jobs went."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.expired(now).only("pk", "file", "input_file").iterator():
        job.delete()
        removed += 1
    return removed


# A job running this long lost its worker (killed, the machine restarted): no job of ours
# takes this long.
ABANDONED_AFTER = timedelta(hours=12)


def _fail_running(jobs, now) -> int:
    from .tasks import interrupted

    return jobs.filter(status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED,
        message=interrupted(),
        finished_at=now,
        expires_at=now + _keep_days(),
    )


def jobs_fail_abandoned(*, now=None) -> int:
    """Mark failed the jobs left "running" by a worker that was killed, so that their
    users see a clear message and a retry button. Returns how many."""
    now = now or timezone.now()
    return _fail_running(Job.objects.filter(started_at__lt=now - ABANDONED_AFTER), now)


def jobs_mark_failed(jobs) -> int:
    """The admin site's action: the waiting or running ones of `jobs` end failed."""
    from .tasks import interrupted

    now = timezone.now()
    return jobs.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).update(
        status=JobStatus.FAILED,
        message=interrupted(),
        finished_at=now,
        expires_at=now + _keep_days(),
    )


def jobs_fail_interrupted(*, now=None) -> int:
    """Mark failed every job "running" now: run when the (one) worker starts, any job
    still running was cut short by its previous run. Returns how many."""
    return _fail_running(Job.objects.all(), now or timezone.now())


# A job nobody ran for this long: the worker is not running, or lost the queue's entry.
NEVER_RUN_AFTER = timedelta(days=1)


def never_run() -> str:
    return _(
        "The job waited more than a day and was never run (the background worker was "
        "not running). Please start it again."
    )


def jobs_fail_never_run(*, now=None) -> int:
    """Mark failed the jobs waiting more than a day, and delete their input files (a
    roster holds identity numbers). The job itself goes at its `expires_at`."""
    now = now or timezone.now()
    stale = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - NEVER_RUN_AFTER)
    count = 0
    for job in stale.only("pk", "input_file").iterator():
        _delete_file(job.input_file)
        count += Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, message=never_run(), finished_at=now, input_file=""
        )
    return count


def job_settings() -> JobSettings:
    return JobSettings.current()
