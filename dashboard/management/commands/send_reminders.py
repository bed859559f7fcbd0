from django.core.management.base import BaseCommand

from dashboard.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send each user a digest of their to-do list by e-mail, and each configured WeCom / "
        "DingTalk group robot the digest of its workshop union. Run it daily from cron; a "
        "failed delivery is tried again at the next run, a sent one is not repeated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="prefix for the links, e.g. https://union.example.cn"
        )

    def handle(self, *args, base_url, **options):
        report = send_reminders(base_url=base_url)
        self.stdout.write(
            f"e-mails sent: {report['emails']}, robots: {report['robots']}, "
            f"failed (retried next run): {report['failed']}, already sent today: "
            f"{report['skipped']}"
        )
