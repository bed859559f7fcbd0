from datetime import date

from django.core.management.base import BaseCommand, CommandError

from caretasks.services import make_due_tasks


class Command(BaseCommand):
    help = (
        "Make the care tasks due today (birthdays ahead, members not visited for long, archive "
        "members before a festival) and cancel open tasks of members who left. Run it daily "
        "from cron, before send_reminders; running it twice makes nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", default="", help="run as on this day (YYYY-MM-DD)")

    def handle(self, *args, on: str, **options):
        today = None
        if on:
            try:
                today = date.fromisoformat(on)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        counts = make_due_tasks(today)
        self.stdout.write(", ".join(f"{code}: {count}" for code, count in sorted(counts.items())))
