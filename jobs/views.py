"""The user's jobs: the list, a job's page (it updates itself), its progress as JSON, the
file it made, and trying a failed job again."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from unionhome.dates import day_label
from unionhome.pagination import paginate
from unionhome.uploads import file_response

from . import services
from .models import Job, JobStatus
from .registry import kind_label

# Seconds between two looks at a running job, by the script or, without it, the page.
POLL_SECONDS = 2
REFRESH_SECONDS = 5


def _own_job(request, pk) -> Job:
    # Another user's job is not found: its existence is not given away.
    return get_object_or_404(Job.objects.restrict(request.user), pk=pk)


@require_GET
def job_list(request):
    jobs = Job.objects.restrict(request.user).defer("params", "details")
    page, query = paginate(request, jobs)
    return render(request, "jobs/list.html", {"page": page, "query": query})


def _status(job: Job) -> dict:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "message": job.message,
        "file_url": reverse("jobs:download", args=[job.pk]) if job.offers_file else "",
    }


@never_cache
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "kind": kind_label(job.kind),
            "status_url": reverse("jobs:status", args=[job.pk]),
            "poll_seconds": POLL_SECONDS,
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


@never_cache
@require_GET
def job_status(request, pk):
    return JsonResponse(_status(_own_job(request, pk)))


@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    if job.is_expired or not job.file.storage.exists(job.file.name):
        return render(
            request,
            "jobs/expired.html",
            {"job": job, "expired_on": day_label(job.expires_at)},
            status=404,
        )
    return file_response(
        job.file,
        content_type=_content_type(job.file_name),
        filename=job.file_name,
        inline=False,
        private_cache=False,
    )


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@require_POST
def job_retry(request, pk):
    job = _own_job(request, pk)
    try:
        services.job_retry(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The job is queued again."))
    return redirect("jobs:detail", pk=job.pk)
