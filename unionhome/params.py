"""Numbers read from a query string, bounded to what every database stores: an id typed
or tampered with ("99999999999999999999", "²") narrows a page to nothing instead of
raising a server error."""

MAX_ID = 2**63 - 1  # the largest id PostgreSQL's bigint and SQLite's INTEGER both hold
FIRST_YEAR, LAST_YEAR = 1900, 2999  # a month or year outside these is nobody's record


def id_param(value) -> int | None:
    """A database id from a query string, or None."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def year_param(value) -> int | None:
    """A year from a query string, or None."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def text_param(value, max_length: int) -> str:
    """A search text from a query string: trimmed, cut to `max_length`, without the NUL
    characters no database text column takes (PostgreSQL refuses them)."""
    return str(value or "").replace("\x00", "").strip()[:max_length]
