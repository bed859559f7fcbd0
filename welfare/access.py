"""Who may see a welfare record's sensitive details, and the log of every such access."""

from accounts.scoping import VIEW, allows
from unionhome.network import client_address

from .models import DETAILS, AccessLog


def case_details_visible(user, case) -> bool:
    """HQ welfare staff and the member's own workshop union see the details; a group leader
    sees that the case exists and its status, and the details only of a case they filed."""
    if allows(user, DETAILS, case):
        return True
    return case.filed_by_id == user.pk and allows(user, VIEW, case)


def log_access(
    *, user, action: str, target: str, member=None, summary: str = "", request=None
) -> AccessLog:
    """Append one line to the access log (it can never be changed or deleted)."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        target=target[:40],
        member=member,
        summary=summary[:300],
        ip_address=client_address(request),
    )
