"""What welfare does when the funds app pays or takes back a line (connected in
WelfareConfig.ready)."""

from funds.models import LineKind
from funds.signals import details_accessed, line_removed, lines_paid

from .access import log_access
from .services.payments import mark_paid, unbatch


def on_lines_paid(sender, *, batch, lines, paid_on, by, **kwargs):
    mark_paid(lines=[line for line in lines if line.kind == LineKind.CASE], paid_on=paid_on, by=by)


def on_line_removed(sender, *, line, by, **kwargs):
    if line.kind == LineKind.CASE:
        unbatch(line=line, by=by)


def on_details_accessed(sender, **kwargs):
    """A bank account or a batch's names and amounts read or changed in the funds app."""
    kwargs.pop("signal", None)
    log_access(**kwargs)


def connect():
    lines_paid.connect(on_lines_paid, dispatch_uid="welfare.cases_paid")
    line_removed.connect(on_line_removed, dispatch_uid="welfare.case_unbatched")
    details_accessed.connect(on_details_accessed, dispatch_uid="welfare.funds_details_logged")
