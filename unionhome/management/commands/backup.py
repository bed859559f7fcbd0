from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from unionhome.backup import backup


class Command(BaseCommand):
    help = (
        "Back up every record and every uploaded file into one .tar.gz (portable between "
        "SQLite and PostgreSQL). See docs/deploy.md for pg_dump on a large installation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="file to write (default unionhome-YYYYmmdd-HHMM.tar.gz)",
        )

    def handle(self, *args, output, **options):
        output = output or Path(f"unionhome-{datetime.now():%Y%m%d-%H%M}.tar.gz")
        manifest = backup(output)
        records = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {records} records and {len(manifest['files'])} files to {output}"
            )
        )
