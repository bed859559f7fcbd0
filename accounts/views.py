"""The reader's own settings: larger text (适老化)."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

LARGE_TEXT_COOKIE = "large_text"
A_YEAR = 365 * 24 * 60 * 60


@login_not_required
@require_POST
def text_size(request):
    """Switch larger text on or off: kept on the user (it follows them to every device)
    and in a cookie (for the login page, and for those not logged in)."""
    large = request.POST.get("large") == "1"
    user = request.user
    if user.is_authenticated and user.large_text != large:
        user.large_text = large
        user.skip_history_when_saving = True  # a reading preference, not an account change
        user.save(update_fields=["large_text"])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if large else "0",
        max_age=A_YEAR,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


@receiver(user_logged_in)
def keep_large_text_chosen_before_login(sender, request, user, **kwargs):
    """Larger text switched on at the login page stays on once logged in."""
    if (
        request is not None
        and request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
        and not user.large_text
    ):
        user.large_text = True
        user.skip_history_when_saving = True
        user.save(update_fields=["large_text"])


def reads_large_text(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
