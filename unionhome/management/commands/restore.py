from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unionhome.backup import model_counts, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this (migrated) database: every record "
        "here is replaced by the backup's, and its files are put back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing")

    def handle(self, *args, file, yes, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if not yes and input("Replace everything in this database? [y/N] ").lower() != "y":
            raise CommandError("Nothing was changed.")
        manifest = restore(file)
        now = model_counts()
        different = {
            label: (count, now.get(label))
            for label, count in manifest["counts"].items()
            if now.get(label) != count
        }
        if different:
            raise CommandError(f"Restored, but these counts differ from the backup: {different}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(now.values())} records and {len(manifest['files'])} files."
            )
        )
