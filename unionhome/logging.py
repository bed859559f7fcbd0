import logging

from .network import client_address


class RequestContextFilter(logging.Filter):
    """Adds who asked for what to each log line: Django passes the request along with its
    own error records; other records get dashes."""

    def filter(self, record):
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        record.user = getattr(user, "username", None) or "-"
        record.method = getattr(request, "method", "-")
        record.path = getattr(request, "path", "-")
        record.address = client_address(request) or "-"
        return True
