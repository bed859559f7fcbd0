"""How a signed-in user is loaded on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's own password check; the user of a session is loaded together with the
    member record their login belongs to (one join), so that the member role the `portal`
    app grants from it costs every page no query of its own."""

    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("member__group").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
