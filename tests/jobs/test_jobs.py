"""Background jobs: queued on commit, run to the end with their progress, done with a file
kept for the days HQ sets, or failed with a clear message and a retry button; seen by
their own user alone."""

import io
import json
import logging
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from jobs.models import Job, JobSettings, JobStatus
from jobs.services import (
    job_retry,
    job_start,
    jobs_fail_abandoned,
    jobs_mark_failed,
    jobs_purge_expired,
    never_run,
)
from jobs.tasks import ProgressWriter, _finish, execute, generic_failure, interrupted
from tests.factories import UserFactory
from tests.jobs.kinds import COUNT


@pytest.fixture
def alice(db):
    return UserFactory(role=Role.HQ, username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(role=Role.HQ, username="bob")


class TestRunning:
    def test_a_job_waits_until_its_transaction_commits(self, alice):
        job = job_start(user=alice, kind=COUNT, params={}, title="数数")
        job.refresh_from_db()
        assert (job.status, job.attempts, job.task_id) == (JobStatus.QUEUED, 0, "")

    def test_a_job_runs_to_its_end_with_its_file_kept_for_the_set_days(self, alice, run_job):
        JobSettings(keep_days=3).save()
        job = run_job(alice, rows=4, file="会员名册.xlsx")
        assert (job.status, job.done, job.total, job.attempts) == (JobStatus.DONE, 4, 4, 1)
        assert job.task_id
        assert job.file_name == "会员名册.xlsx"
        assert job.file.name.startswith("jobs/") and job.file.name.endswith(".xlsx")
        assert job.file.read() == b"4 rows"
        assert job.expires_at == job.finished_at + timedelta(days=3)
        assert job.started_at <= job.finished_at

    def test_a_job_without_a_file_ends_with_its_summary(self, alice, run_job):
        job = run_job(alice, rows=2)
        assert (job.status, job.message, bool(job.file)) == (JobStatus.DONE, "counted 2", False)

    def test_a_job_runs_once_even_if_delivered_twice(self, alice, run_job):
        job = run_job(alice, rows=2)
        execute(job.pk)
        job.refresh_from_db()
        assert job.attempts == 1

    def test_a_queued_job_is_kept_for_the_set_days_from_its_start(self, alice):
        JobSettings(keep_days=4).save()
        job = job_start(user=alice, kind=COUNT, params={}, title="x")
        assert job.expires_at == job.created_at + timedelta(days=4) or (
            abs(job.expires_at - job.created_at - timedelta(days=4)) < timedelta(seconds=1)
        )

    def test_the_job_runs_in_the_language_of_the_page_that_started_it(
        self, alice, django_capture_on_commit_callbacks
    ):
        from django.utils import translation

        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            job = job_start(user=alice, kind=COUNT, params={"fail": "crash"}, title="x")
        job.refresh_from_db()
        assert job.language == "en"
        assert job.message.startswith("The job failed.")

    def test_a_stale_result_is_dropped(self, alice, make_job):
        # The worker was taken for dead: its job was marked failed and retried meanwhile.
        job = make_job(alice, attempts=1)
        Job.objects.filter(pk=job.pk).update(attempts=2)
        job.file.save("late.csv", ContentFile(b"late"), save=False)
        late = job.file.name
        _finish(job, JobStatus.DONE, message="late")
        stored = Job.objects.get(pk=job.pk)
        assert (stored.status, stored.message, stored.file.name) == (JobStatus.RUNNING, "", "")
        assert not default_storage.exists(late)

    def test_an_unknown_kind_is_refused_at_once(self, alice):
        with pytest.raises(LookupError):
            job_start(user=alice, kind="nobody.nothing", params={}, title="x")


class TestProgress:
    def test_progress_is_written_at_most_once_a_second(self, alice, make_job):
        job = make_job(alice)
        now = [100.0]
        progress = ProgressWriter(job, clock=lambda: now[0])
        progress(1, 10)  # the first report is written at once
        now[0] = 100.5
        progress(5, 10)  # half a second later: kept on the job only
        assert Job.objects.values_list("done", "total").get(pk=job.pk) == (1, 10)
        assert (job.done, job.total) == (5, 10)
        now[0] = 101.2
        progress(7, 10)
        assert Job.objects.values_list("done", "total").get(pk=job.pk) == (7, 10)

    def test_the_page_and_the_json_show_done_of_total(self, alice, make_job, login):
        job = make_job(alice, done=30, total=120)
        client = login(alice)
        page = client.get(reverse("jobs:detail", args=[job.pk]))
        body = page.content.decode()
        assert '<progress id="job-progress" max="100" value="25"' in body
        assert "30 / 120 (25%)" in body
        assert 'aria-labelledby="job-progress-label"' in body
        # The page looks again by itself: a script, and a refresh when scripts are off.
        assert "jobs/progress.js" in body
        assert '<noscript><meta http-equiv="refresh"' in body
        assert 'id="retry-form"' not in body and 'id="job-download"' not in body
        state = json.loads(client.get(reverse("jobs:status", args=[job.pk])).content)
        assert state == {
            "status": "running",
            "status_label": str(JobStatus.RUNNING.label),
            "done": 30,
            "total": 120,
            "percent": 25,
            "finished": False,
            "message": "",
            "file_url": "",
        }

    def test_a_finished_page_stops_looking(self, alice, run_job, login):
        job = run_job(alice, rows=2, file="a.csv")
        body = login(alice).get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert "refresh" not in body and "progress.js" not in body
        assert 'value="100"' in body


class TestFailure:
    def test_a_clear_failure_shows_its_message_its_rows_and_a_retry_button(
        self, alice, run_job, login
    ):
        job = run_job(alice, fail="clear")
        assert job.status == JobStatus.FAILED
        assert job.message == "第3行工号重复"
        assert job.details == ["第3行 · 工号: 重复", "第5行 · 姓名: 缺少"]
        assert job.expires_at is not None
        body = login(alice).get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert "第3行工号重复" in body and "第5行 · 姓名: 缺少" in body
        assert f'action="{reverse("jobs:retry", args=[job.pk])}"' in body

    def test_an_unexpected_failure_says_try_again_and_logs_the_traceback(
        self, alice, run_job, login, caplog
    ):
        with caplog.at_level(logging.ERROR, logger="jobs.tasks"):
            job = run_job(alice, fail="crash")
        assert (job.status, job.message) == (JobStatus.FAILED, generic_failure())
        assert "任务失败" in job.message or "failed" in job.message
        assert "secret internal detail" in caplog.text  # in the log, with the traceback
        body = login(alice).get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert "secret internal detail" not in body
        assert 'id="retry-form"' in body

    def test_a_stopped_worker_leaves_the_job_failed_not_running(self, alice):
        job = job_start(user=alice, kind=COUNT, params={"fail": "stop"}, title="x")
        with pytest.raises(SystemExit):
            execute(job.pk)
        job.refresh_from_db()
        assert (job.status, job.message) == (JobStatus.FAILED, interrupted())

    def test_retry_runs_the_failed_job_again_and_it_succeeds(
        self, alice, run_job, login, django_capture_on_commit_callbacks
    ):
        job = run_job(alice, fail="crash", fail_first=True, file="结果.csv")
        assert job.status == JobStatus.FAILED
        with django_capture_on_commit_callbacks(execute=True):
            response = login(alice).post(reverse("jobs:retry", args=[job.pk]))
        assert response["Location"] == reverse("jobs:detail", args=[job.pk])
        job.refresh_from_db()
        assert (job.status, job.attempts, job.message) == (JobStatus.DONE, 2, "")
        assert job.file_name == "结果.csv"

    def test_only_a_failed_job_is_retried_by_its_own_user(self, alice, bob, run_job, login):
        done = run_job(alice, rows=1)
        with translation.override("en"), pytest.raises(Exception, match="failed job"):
            job_retry(job=done, by=alice)
        failed = run_job(alice, fail="clear")
        assert login(bob).post(reverse("jobs:retry", args=[failed.pk])).status_code == 404
        assert login(alice).get(reverse("jobs:retry", args=[failed.pk])).status_code == 405
        failed.refresh_from_db()
        assert failed.status == JobStatus.FAILED


class TestFiles:
    def test_the_file_is_offered_to_its_user_under_its_chinese_name(self, alice, run_job, login):
        job = run_job(alice, rows=3, file="会员名册 2026.xlsx")
        client = login(alice)
        body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert f'href="{reverse("jobs:download", args=[job.pk])}"' in body
        response = client.get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"3 rows"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment")
        assert f"filename*=utf-8''{quote('会员名册 2026.xlsx')}" in disposition
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "no-store" in response["Cache-Control"]

    def test_another_user_finds_nothing(self, alice, bob, run_job, login):
        job = run_job(alice, rows=3, file="a.csv")
        client = login(bob)
        for name in ("detail", "status", "download"):
            assert client.get(reverse(f"jobs:{name}", args=[job.pk])).status_code == 404
        assert 'id="no-jobs"' in client.get(reverse("jobs:list")).content.decode()

    def test_anonymous_is_sent_to_the_login_page(self, alice, run_job, client):
        job = run_job(alice, rows=1, file="a.csv")
        for url in (reverse("jobs:list"), reverse("jobs:download", args=[job.pk])):
            assert client.get(url)["Location"].startswith("/accounts/login/")

    def test_an_expired_file_is_not_served(self, alice, run_job, login):
        job = run_job(alice, rows=1, file="a.csv")
        Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        client = login(alice)
        response = client.get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 404
        assert 'id="job-file-expired"' in response.content.decode()
        body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
        assert 'id="job-expired"' in body and 'id="job-download"' not in body

    def test_a_file_gone_from_storage_is_not_found_rather_than_an_error(
        self, alice, run_job, login
    ):
        job = run_job(alice, rows=1, file="a.csv")
        default_storage.delete(job.file.name)
        response = login(alice).get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 404
        assert 'id="job-file-expired"' in response.content.decode()

    def test_a_job_without_a_file_has_nothing_to_download(self, alice, run_job, login):
        job = run_job(alice, rows=1)
        assert login(alice).get(reverse("jobs:download", args=[job.pk])).status_code == 404


class TestPurge:
    def test_expired_jobs_go_with_their_files_and_others_stay(self, alice, run_job):
        old = run_job(alice, rows=1, file="old.csv")
        old.input_file.save("in.csv", ContentFile(b"x"))
        fresh = run_job(alice, rows=1, file="fresh.csv")
        waiting = job_start(user=alice, kind=COUNT, params={}, title="x")
        Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        paths = [old.file.name, old.input_file.name]
        assert all(default_storage.exists(p) for p in paths)
        assert jobs_purge_expired() == 1
        assert not any(default_storage.exists(p) for p in paths)
        assert set(Job.objects.values_list("pk", flat=True)) == {fresh.pk, waiting.pk}
        assert default_storage.exists(fresh.file.name)

    def test_the_daily_command_purges_and_fails_abandoned_jobs(self, alice, run_job, make_job):
        old = run_job(alice, rows=1, file="old.csv")
        Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
        lost = make_job(alice, started_at=timezone.now() - timedelta(days=1))
        busy = make_job(alice, started_at=timezone.now() - timedelta(minutes=5))
        out = io.StringIO()
        call_command("purge_jobs", stdout=out)
        assert "purged 1" in out.getvalue()
        assert not Job.objects.filter(pk=old.pk).exists()
        lost.refresh_from_db()
        busy.refresh_from_db()
        assert (lost.status, lost.message) == (JobStatus.FAILED, interrupted())
        assert busy.status == JobStatus.RUNNING
        assert jobs_fail_abandoned() == 0

    def test_a_job_waiting_more_than_a_day_fails_and_its_input_file_goes(self, alice, make_job):
        stale = make_job(alice, status=JobStatus.QUEUED)
        stale.input_file.save("roster.xlsx", ContentFile(b"id numbers"))
        roster = stale.input_file.name
        Job.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=2))
        recent = make_job(alice, status=JobStatus.QUEUED)
        out = io.StringIO()
        call_command("purge_jobs", stdout=out)
        assert "1 never run" in out.getvalue()
        stale.refresh_from_db()
        recent.refresh_from_db()
        assert (stale.status, stale.message, stale.input_file.name) == (
            JobStatus.FAILED,
            never_run(),
            "",
        )
        assert not default_storage.exists(roster)
        assert recent.status == JobStatus.QUEUED
        # The worker finding its queue entry later does nothing.
        execute(stale.pk)
        stale.refresh_from_db()
        assert stale.status == JobStatus.FAILED

    def test_at_worker_start_every_running_job_is_marked_interrupted(self, alice, make_job):
        running = make_job(alice, started_at=timezone.now() - timedelta(minutes=1))
        waiting = make_job(alice, status=JobStatus.QUEUED)
        out = io.StringIO()
        call_command("fail_interrupted_jobs", stdout=out)
        assert out.getvalue().startswith("1 ")
        running.refresh_from_db()
        waiting.refresh_from_db()
        assert (running.status, running.message) == (JobStatus.FAILED, interrupted())
        assert running.expires_at is not None
        assert waiting.status == JobStatus.QUEUED

    def test_a_deleted_job_takes_its_files_with_it(self, alice, run_job):
        job = run_job(alice, rows=1, file="a.csv")
        job.input_file.save("in.csv", ContentFile(b"x"))
        paths = [job.file.name, job.input_file.name]
        alice.delete()
        assert not any(default_storage.exists(p) for p in paths)


class TestAdmin:
    def test_the_admin_lists_jobs_read_only_and_marks_them_failed(self, alice, make_job):
        from django.contrib.admin.sites import site

        admin = site._registry[Job]
        assert list(admin.list_display) == ["user", "title", "status", "created_at", "finished_at"]
        assert not admin.has_add_permission(None) and not admin.has_change_permission(None)
        running = make_job(alice)
        done = make_job(alice, status=JobStatus.DONE)
        assert jobs_mark_failed(Job.objects.all()) == 1
        running.refresh_from_db()
        done.refresh_from_db()
        assert (running.status, done.status) == (JobStatus.FAILED, JobStatus.DONE)


class TestList:
    def test_the_list_shows_the_users_own_jobs(self, alice, bob, run_job, make_job, login):
        done = run_job(alice, rows=2, file="名册.xlsx", title="导出会员")
        running = make_job(alice, title="装订台账", done=3, total=10)
        make_job(bob, title="别人的任务")
        body = login(alice).get(reverse("jobs:list")).content.decode()
        assert "导出会员" in body and "装订台账" in body and "别人的任务" not in body
        assert f'id="job-{done.pk}"' in body and f'id="job-{running.pk}"' in body
        assert "3 / 10" in body
        assert f'href="{reverse("jobs:download", args=[done.pk])}"' in body

    @pytest.mark.parametrize("count", [2, 12])
    def test_the_list_runs_a_fixed_number_of_queries(
        self, alice, make_job, login, count, django_assert_num_queries
    ):
        for n in range(count):
            make_job(alice, title=f"任务{n}", status=JobStatus.DONE, file="jobs/x.csv")
        client = login(alice)
        # session, user, the jobs counted, the user's roles and the inspection panels
        # they sit on (the menu), the page of jobs
        with django_assert_num_queries(6):
            response = client.get(reverse("jobs:list"))
        assert response.content.decode().count('<tr id="job-') == count

    def test_every_login_has_the_link_in_the_user_menu(self, alice, login):
        body = login(alice).get(reverse("jobs:list")).content.decode()
        assert f'href="{reverse("jobs:list")}"' in body
