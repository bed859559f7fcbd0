import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from unionhome.demo import DEMO, DEMO_PASSWORD, FEDERATION, SIZES, DemoContext
from unionhome.extensions import feature_configs
from unionhome.signals import records_changed_in_bulk


class Command(BaseCommand):
    help = (
        "Build a demo organisation with Chinese names and one login per role. Safe to run "
        "again. --size mine builds the seed's mine (65 workshop unions, 405 groups, about "
        "10,000 members) for benchmarks; --size federation ten such mines (650 workshop "
        "unions, 4,050 groups, 100,000 members; PostgreSQL only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default=DEMO)
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, size, seed, **options):
        if size == FEDERATION and connection.vendor != "postgresql":
            # Millions of rows: built with COPY in minutes on PostgreSQL; SQLite stays at
            # the mine's size.
            raise CommandError(
                "--size federation needs PostgreSQL (DATABASE_URL=postgres://...); "
                "on SQLite use --size mine."
            )
        context = DemoContext(
            size=size,
            rng=random.Random(seed),
            today=timezone.localdate(),
            log=lambda text: self.stdout.write(text),
        )
        with transaction.atomic():
            for config in feature_configs():
                if config.demo_seeder:
                    started = time.monotonic()
                    import_string(config.demo_seeder)(context)
                    if context.is_mine:  # where a large build spends its time
                        context.log(f"  ({config.label}: {time.monotonic() - started:.1f} s)")
            records_changed_in_bulk.send(sender=None, using=DEFAULT_DB_ALIAS)
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, as PostgreSQL's manual advises: without
            # them (autovacuum off, or not yet run) the planner takes the new tables for
            # empty and picks nested loops that run for minutes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # The organisation's year figures, counted now (with the statistics above) rather
        # than on the first view of the dashboard.
        call_command("refresh_summaries", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, role, scope in context.logins:
            self.stdout.write(f"  {username:<10} {role:<8} {scope}")
