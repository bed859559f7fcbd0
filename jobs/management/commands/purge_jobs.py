from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from jobs.services import (
    job_settings,
    jobs_fail_abandoned,
    jobs_fail_never_run,
    jobs_purge_expired,
)


class Command(BaseCommand):
    help = (
        "Delete background jobs kept past their time, with their files; mark failed "
        "those a killed worker left running (12 hours) and those waiting more than a day, "
        "deleting the latter's input files (run daily)."
    )

    def handle(self, *args, **options):
        abandoned = jobs_fail_abandoned()
        never_run = jobs_fail_never_run()
        removed = jobs_purge_expired()
        self.stdout.write(
            f"purged {removed} expired background jobs; {abandoned} abandoned ones and "
            f"{never_run} never run ones marked failed"
        )
        # The queue's own records of finished tasks (django-tasks-db) go after as many days.
        if isinstance(task_backends["default"], DatabaseBackend):
            call_command(
                "prune_db_task_results",
                min_age_days=job_settings().keep_days,
                queue_name="*",
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
