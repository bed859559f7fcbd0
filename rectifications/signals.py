"""What the rectification tracker tells the apps that raise items, without knowing them.

- `rectification_closed(sender=Rectification, rectification)`: the raiser (or HQ) closed
  an item (销号) on its completion report and evidence. Sent inside the closing
  transaction, so that a receiver's failure leaves the item submitted.
"""

from django.dispatch import Signal

rectification_closed = Signal()
