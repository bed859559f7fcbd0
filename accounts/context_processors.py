from .views import reads_large_text


def reading(request):
    """The reader's own settings every page honours: larger text (适老化)."""
    return {"large_text": reads_large_text(request)}
