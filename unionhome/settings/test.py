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
# Serve static files straight from the app folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
