from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.imports import ImportConflict, member_import_read, member_import_run
from unionhome.tabular import TableReadError


class Command(BaseCommand):
    help = (
        "Import members from an .xlsx or .csv file (UTF-8 or GBK), all or nothing. Every bad "
        "row is listed with its row number; with --dry-run nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open("rb") as handle:
                # The operator at the command line acts for the whole organisation. The
                # rows are checked and written a chunk at a time: memory stays flat.
                plan = member_import_run(
                    sheet=member_import_read(handle, file.name), by=None, dry_run=dry_run
                )
        except TableReadError as error:
            raise CommandError(str(error)) from error
        except ImportConflict as error:
            raise CommandError(str(error)) from error
        for column in plan.not_imported:
            self.stdout.write(f"not imported: {column.letter} {column.label} ({column.note})")
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(f"row {error.row} [{error.column}]: {error.message}")
            raise CommandError(f"{plan.errors.total} problem(s); nothing was imported.")
        summary = (
            f"{plan.create_count} to enrol, {plan.update_count} to update "
            f"({plan.move_count} moving group), {plan.unchanged} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Dry run: {summary}. Nothing was saved.")
            return
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
