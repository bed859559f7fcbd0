"""The 民主测评 / 职工认可 survey's one-time anonymous ballot codes (its figures are in
scoring.metrics)."""

import hashlib
import hmac
import secrets

from django.conf import settings

# No 0/O, 1/I/L: a code is read off paper and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """Keyed with the secret key: a copy of the database alone does not give the codes."""
    return hmac.new(
        settings.SECRET_KEY.encode(), normalise_code(code).encode(), hashlib.sha256
    ).hexdigest()
