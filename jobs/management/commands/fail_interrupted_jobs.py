from django.core.management.base import BaseCommand

from jobs.services import jobs_fail_interrupted


class Command(BaseCommand):
    help = (
        "Mark failed every background job still running, with the 'interrupted, try again' "
        "message. Run it just before the (one) worker starts (the worker unit's "
        "ExecStartPre, make run): a job running then was cut short by the worker's last run."
    )

    def handle(self, *args, **options):
        count = jobs_fail_interrupted()
        self.stdout.write(f"{count} interrupted background jobs marked failed")
