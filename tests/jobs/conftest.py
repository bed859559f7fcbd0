import pytest

from jobs.models import Job, JobStatus
from jobs.services import job_start
from tests.jobs.kinds import COUNT


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    """run_job(user, **params) -> the job, queued and run to its end (the test settings'
    immediate backend runs it when its transaction commits)."""

    def run(user, title="数数", **params):
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(user=user, kind=COUNT, params=params, title=title)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def make_job(db):
    """make_job(user, **fields) -> a job row as the worker would leave it."""

    def make(user, **fields):
        fields.setdefault("kind", COUNT)
        fields.setdefault("title", "数数")
        fields.setdefault("status", JobStatus.RUNNING)
        return Job.objects.create(user=user, **fields)

    return make
