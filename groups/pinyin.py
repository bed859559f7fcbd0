from pypinyin import Style, lazy_pinyin


def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name for search: "张三丰" -> "zsf"; other text kept lower."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(letters).lower().replace(" ", "")[:50]
