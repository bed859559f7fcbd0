"""Activation codes: short, read off paper and typed on a phone, kept only as a keyed hash."""

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
    """As typed: small letters, spaces and dashes are forgiven."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(member_id: int, code: str) -> str:
    """Keyed with the secret key and salted with the member: a copy of the database alone
    does not give the codes, and two members' equal codes hash apart. A slow password hash
    is not needed: a code lives for days, is tried against one member at a time, and the
    activation page locks after a few wrong tries."""
    message = f"{member_id}:{normalise_code(code)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def code_matches(member_id: int, code: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(member_id, code), stored)
