from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from scoring import services
from scoring.models import AssessmentPeriod


class Command(BaseCommand):
    help = (
        "Compute an assessment period's results (a new version if the last one is published) "
        "and print the ranking. PERIOD is the period's name or id."
    )

    def add_arguments(self, parser):
        parser.add_argument("period")
        parser.add_argument("--publish", action="store_true", help="publish the computed run")

    def handle(self, *args, period, publish, **options):
        found = AssessmentPeriod.objects.filter(name=period).first() or (
            AssessmentPeriod.objects.filter(pk=int(period)).first() if period.isdigit() else None
        )
        if found is None:
            raise CommandError(f"No assessment period {period!r}.")
        run = services.score_compute(period=found)
        if publish:
            try:
                run = services.score_publish(period=found, by=None)
            except ValidationError as error:  # the publish guard: what is still missing
                raise CommandError(" ".join(error.messages)) from error
        results = run.results.select_related("group__workshop").order_by("rank", "group__code")
        self.stdout.write(
            f"{found.name} · version {run.version}{' · published' if publish else ''}"
        )
        self.stdout.write(f"{'rank':>4}  {'total':>7}  {'level':<10} workshop / group")
        for result in results:
            marks = (" 十佳" if result.top_ten else "") + (" 否决" if result.vetoed else "")
            self.stdout.write(
                f"{result.rank:>4}  {result.total:>7}  {result.level:<10} "
                f"{result.group.workshop.name} / {result.group.name}{marks}"
            )
