from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.imports import member_import_apply, member_import_plan
from unionhome.tabular import TableReadError, read_table


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
                table = read_table(handle, file.name)
        except TableReadError as error:
            raise CommandError(str(error)) from error
        # The operator at the command line acts for the whole organisation.
        plan = member_import_plan(headers=table.headers, rows=table.rows, by=None)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(f"row {error.row} [{error.column}]: {error.message}")
            raise CommandError(f"{len(plan.errors)} problem(s); nothing was imported.")
        summary = (
            f"{len(plan.creates)} to enrol, {len(plan.updates)} to update "
            f"({len(plan.moves)} moving group), {plan.unchanged} unchanged"
        )
        if dry_run:
            self.stdout.write(f"Dry run: {summary}. Nothing was saved.")
            return
        member_import_apply(plan=plan, by=None)
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
