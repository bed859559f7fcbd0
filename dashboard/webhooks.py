"""Where a reminder robot may post: https, on an address outside the organisation's own
network. Plain http, and loopback, private, link-local or other reserved addresses, only
where the settings allow them (UNIONHOME["WEBHOOK_ALLOW_HTTP"], ["WEBHOOK_ALLOWED_HOSTS"]),
so that an admin user cannot make the server call into its own network."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


def _rules():
    options = settings.UNIONHOME
    return options.get("WEBHOOK_ALLOW_HTTP", False), set(options.get("WEBHOOK_ALLOWED_HOSTS", []))


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not ip.is_global or ip.is_multicast


def url_problem(url: str) -> str | None:
    """What is wrong with a webhook address as written (no lookup), or None."""
    allow_http, allowed = _rules()
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_http):
        return _("The robot's address must start with https://.")
    host = (parts.hostname or "").lower()
    if not host:
        return _("The robot's address names no server.")
    if host in allowed:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return _("The robot's address points inside the server's own network.")
    try:
        if _internal(host):
            return _("The robot's address points inside the server's own network.")
    except ValueError:
        pass  # a name, looked up when posting
    return None


def posting_problem(url: str) -> str | None:
    """What stops a post to the webhook now, the name looked up, or None."""
    problem = url_problem(url)
    if problem:
        return problem
    _allow_http, allowed = _rules()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in allowed:
        return None
    try:
        found = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return _("The robot's server %(host)s cannot be found.") % {"host": host}
    if any(_internal(info[4][0]) for info in found):
        return _("The robot's address points inside the server's own network.")
    return None
