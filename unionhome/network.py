"""The address a request came from: one answer for the login lockout, the welfare access
log and the error log."""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies (nginx, a load balancer), the
    address the outermost of them saw, which is that many entries from the right of
    X-Forwarded-For. Entries further left are written by the client and never trusted."""
    meta = getattr(request, "META", None)  # log records may carry a socket instead
    if meta is None:
        return None
    address = meta.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ip_address(address)) if address else None
    except ValueError:
        return None
