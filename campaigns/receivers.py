"""What campaigns does when funds pays: entries and donation grants of a closed batch are
paid, and a campaign whose batches are all closed closes."""

from . import services


def on_lines_paid(sender, *, batch, lines, paid_on, by=None, **kwargs):
    services.lines_paid(batch=batch, lines=lines, paid_on=paid_on)


def on_line_removed(sender, *, line, by=None, **kwargs):
    services.line_taken_out(line=line, by=by)
