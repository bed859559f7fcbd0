"""What funds tells the apps whose money it pays out (welfare cases, campaigns), without
knowing them.

- `lines_paid(sender=PaymentBatch, batch, lines, paid_on, by)`: a batch was closed; its
  lines' money has left. Sent inside the closing transaction, so that a receiver's failure
  leaves the batch open.
- `line_removed(sender=PaymentLine, line, by)`: a line is taken out of an open batch, sent
  before the line is deleted (a receiver lets go of its link to it).
- `details_accessed(sender=model, user, action, record=None, target="", summary="",
  address=None)`: somebody read or changed welfare details kept here (a member's bank
  account, a batch's list of names and amounts). The keyword arguments are those of the
  welfare access log's `log_access`, which listens (funds does not know the log):
  `def receiver(sender, signal, **kwargs): log_access(**kwargs)`.
  Changes are sent inside their transaction.
"""

from django.dispatch import Signal

lines_paid = Signal()
line_removed = Signal()
details_accessed = Signal()
ALL = (lines_paid, line_removed, details_accessed)
