from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from activities.summaries import refresh_all


class Command(BaseCommand):
    help = _(
        "Count the organisation's year figures again (the summary tables): every year "
        "already stored, and this year. Run it after midnight, and after a restore."
    )

    def handle(self, *args, **options):
        years = refresh_all()
        self.stdout.write(
            _("Summary figures counted for %(years)s.") % {"years": ", ".join(map(str, years))}
        )
