"""Settings for the test suite: the base settings with fast hashing and throwaway media."""

import os
import tempfile

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite-0123456789"
)

from .base import *  # noqa: F403

# Test settings never serve real users.
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Fast hashing for the suite; PBKDF2 stays available for tests that start real servers.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
MEDIA_ROOT = tempfile.mkdtemp(prefix="unionhome-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Background jobs run at once, in the test's own process and transaction, when the
# transaction that queued them commits: a test wraps the request in
# django_capture_on_commit_callbacks(execute=True) and finds the job finished, with no
# worker to start and no waiting. (The database backend would need a worker process that
# cannot see the test's uncommitted rows.)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Serve static files straight from the app folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
