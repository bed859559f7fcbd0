from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None, count: int | None = None):
    """A page of `queryset` (two queries: count and rows) and the query string without `page`,
    so that the pagination links keep the list's filters. A `count` the caller has already
    counted saves the count query."""
    paginator = Paginator(queryset, per_page or settings.UNIONHOME["PAGE_SIZE"])
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not counted again
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
