"""A background job's page in a real browser: the bar moves as the worker reports progress
(the page's script, allowed by the CSP), and when the job is done the page offers the file,
which downloads under its Chinese name."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from jobs.models import Job, JobStatus
from tests.factories import UserFactory


def test_the_job_page_follows_the_progress_and_offers_the_file(page, log_in):
    user = UserFactory(role=Role.HQ, username="hq_jobs")
    job = Job.objects.create(
        user=user,
        kind="groups.member_export",
        title="会员导出",
        status=JobStatus.RUNNING,
        total=200,
    )
    log_in("hq_jobs")
    page.goto(f"/jobs/{job.pk}/")
    assert page.locator("#job-progress").get_attribute("value") == "0"
    Job.objects.filter(pk=job.pk).update(done=50)
    expect(page.locator("#job-progress-text")).to_have_text("50 / 200 (25%)")
    expect(page.locator("#job-progress")).to_have_attribute("value", "25")
    page.screenshot(path="/tmp/jobs-running-phone.png", full_page=True)

    done = Job.objects.get(pk=job.pk)
    done.file.save("x.csv", ContentFile("工号\n1\n".encode()), save=False)
    done.file_name = "会员-20261207.csv"
    done.status, done.done = JobStatus.DONE, 200
    done.finished_at = timezone.now()
    done.expires_at = done.finished_at + timedelta(days=7)
    done.save()
    page.wait_for_selector("#job-download")  # the page loaded itself again
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path="/tmp/jobs-done-desk.png", full_page=True)
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename == "会员-20261207.csv"
