import random

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from unionhome.demo import DEMO, DEMO_PASSWORD, MINE, DemoContext
from unionhome.extensions import feature_configs
from unionhome.signals import records_changed_in_bulk


class Command(BaseCommand):
    help = (
        "Build a demo organisation with Chinese names and one login per role. Safe to run "
        "again. --size mine builds the seed's mine (65 workshop unions, 405 groups, about "
        "10,000 members) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=[DEMO, MINE], default=DEMO)
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, size, seed, **options):
        context = DemoContext(
            size=size,
            rng=random.Random(seed),
            today=timezone.localdate(),
            log=lambda text: self.stdout.write(text),
        )
        with transaction.atomic():
            for config in feature_configs():
                if config.demo_seeder:
                    import_string(config.demo_seeder)(context)
            records_changed_in_bulk.send(sender=None, using=DEFAULT_DB_ALIAS)
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, as PostgreSQL's manual advises: without
            # them (autovacuum off, or not yet run) the planner takes the new tables for
            # empty and picks nested loops that run for minutes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, role, scope in context.logins:
            self.stdout.write(f"  {username:<10} {role:<8} {scope}")
