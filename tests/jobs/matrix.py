"""Background jobs for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: a finished export with its file and a
failed import, both of workshop union A's user. A job is its user's alone: every login
opens its own list; another login's job is not found, whatever its role (HQ included)."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from jobs.models import Job, JobStatus

EVERY_LOGIN = {
    "hq",
    "welfare_hq",
    "workshop_own",
    "workshop_other",
    "leader_own",
    "leader_other",
    "evaluator",
    "multi_own",
    "hq_evaluator",
    "inspector",
    "member",
}
OWNER = {"workshop_own"}


def job_records(world):
    if not hasattr(world, "jobs"):
        owner = world.users["workshop_own"]
        now = timezone.now()
        done = Job(
            user=owner,
            kind="groups.member_export",
            title="会员导出",
            status=JobStatus.DONE,
            done=3,
            total=3,
            file_name="会员.csv",
            finished_at=now,
            expires_at=now + timedelta(days=7),
        )
        done.file.save("x.csv", ContentFile("工号\n1\n".encode()), save=False)
        done.save()
        failed = Job.objects.create(
            user=owner,
            kind="groups.member_import",
            title="会员导入",
            status=JobStatus.FAILED,
            message="第3行有误",
            finished_at=now,
            expires_at=now + timedelta(days=7),
        )
        world.jobs = {"done": done, "failed": failed}
    return world.jobs


def _j(world, key):
    return job_records(world)[key].pk


RULES = {
    "jobs:list": ("get", lambda w: "/jobs/", None, EVERY_LOGIN),
    "jobs:detail": ("get", lambda w: f"/jobs/{_j(w, 'done')}/", None, OWNER),
    "jobs:status": ("get", lambda w: f"/jobs/{_j(w, 'done')}/status", None, OWNER),
    "jobs:download": ("get", lambda w: f"/jobs/{_j(w, 'done')}/file", None, OWNER),
    "jobs:retry": ("post", lambda w: f"/jobs/{_j(w, 'failed')}/retry/", None, OWNER),
}
# A member's login opens its own (empty) list of jobs.
MEMBER_PAGES = {"jobs:list"}
