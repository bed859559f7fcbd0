"""The log of every access to a sensitive welfare record (append-only)."""

from .models import AccessLog


def log_access(
    *, user, action: str, record=None, target: str = "", summary: str = "", address=None
) -> AccessLog:
    """Append one line to the access log; it can never be changed or deleted.

    `record` is a welfare case or an archive record (it names itself and its member); a
    log line about no one record (an export, a search) gives its `target` instead.
    """
    return AccessLog.objects.create(
        user=user,
        action=action,
        target=(record.log_target if record is not None else target)[:40],
        member=record.member if record is not None else None,
        summary=str(summary)[:300],
        ip_address=address,
    )
