"""A background job (后台任务) of one user, and HQ's settings for jobs."""

import logging
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scoping import VIEW
from unionhome.models import SingleRecord

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job", "Waiting")
    RUNNING = "running", pgettext_lazy("job", "Running")
    DONE = "done", pgettext_lazy("job", "Done")
    FAILED = "failed", pgettext_lazy("job", "Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def job_file_path(instance, filename):
    # The stored name says nothing about its contents; the user's name is `file_name`.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def job_input_path(instance, filename):
    # Each job reads its own copy of the upload: two jobs never share one roster.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"jobs/input/{uuid.uuid4().hex}{suffix}"


class JobQuerySet(models.QuerySet):
    """A job is its user's alone: nobody else sees it, HQ and the superuser included (its
    file holds what its user may read, which may be more than another user may)."""

    def restrict(self, user, action: str = VIEW):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class Job(models.Model):
    """Long work one user started, run by the worker: its progress, and when done the file
    it made (kept until `expires_at`), or on failure the reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(pgettext_lazy("job", "done"), default=0)
    total = models.PositiveIntegerField(pgettext_lazy("job", "total"), default=0)
    message = models.TextField(_("message"), blank=True)
    # Lines under the message: an import's rows with their problems.
    details = models.JSONField(_("details"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # The file the job reads (an uploaded roster), removed with the job.
    input_file = models.FileField(
        _("input file"), upload_to=job_input_path, blank=True, max_length=200
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # The language of the page that started it: the runner writes its messages and
    # file in it.
    language = models.CharField(_("language"), max_length=15, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_created"),
            models.Index(fields=["expires_at"], name="job_expires"),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def offers_file(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file) and not self.is_expired

    @property
    def status_badge(self) -> str:
        return {
            JobStatus.QUEUED: "",
            JobStatus.RUNNING: "info",
            JobStatus.DONE: "ok",
            JobStatus.FAILED: "danger",
        }[self.status]


class JobSettings(SingleRecord):
    """How long finished files are kept, and from what size an import or an export goes to
    the background (one record, edited by HQ in the admin site)."""

    keep_days = models.PositiveSmallIntegerField(
        _("days a finished job's file is kept"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("After this many days the file is deleted; the user starts the job again."),
    )
    member_import_rows = models.PositiveIntegerField(
        _("member import: rows above which it runs in the background"),
        default=500,
        help_text=_("A roster with more rows is imported by the background worker."),
    )
    export_rows = models.PositiveIntegerField(
        _("exports: rows above which they run in the background"),
        default=2000,
        help_text=_("A larger export is made by the background worker, then downloaded."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("background job settings")
        verbose_name_plural = _("background job settings")

    def __str__(self):
        return str(_("background job settings"))


@receiver(post_delete, sender=Job)
def job_files_delete(sender, instance, **kwargs):
    """A job's files go with its row (a roster holds identity numbers), however it is
    deleted: the purge, its user deleted, the admin site."""
    for field in (instance.file, instance.input_file):
        if field:
            try:
                field.storage.delete(field.name)
            except OSError:
                logger.warning("could not delete %s", field.name, exc_info=True)
