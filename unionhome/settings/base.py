"""Settings for unionhome, read top to bottom.

Every value that differs between machines comes from the environment (or an optional
`.env` file next to manage.py). The defaults give a working demo on an SQLite file.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# DOTENV names another file, or none at all when empty (the tests use that).
DOTENV = Path(os.environ.get("DOTENV", BASE_DIR / ".env"))
if os.environ.get("DOTENV") != "" and DOTENV.is_file():
    env.read_env(str(DOTENV))

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# No default secret outside DEBUG: a production server must be given its own.
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "django-insecure-local-only")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment (or .env) when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["unionhome.formats"]
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# DATABASES
# ------------------------------------------------------------------------------
# The embedded default is an SQLite file; postgres://… switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions make concurrent writers wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional read replica: pages that only read large amounts (dashboards, summaries,
# rankings, exports) read from it; everything else, and every write, uses the primary.
if env("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# DATABASE_POOLER=pgbouncer-transaction when the URLs above lead to PgBouncer in
# transaction pooling: consecutive transactions of one connection may run on different
# server connections, so nothing may outlive a transaction on the server: no named
# cursors (Django's .iterator() would open one) and no prepared statements.
DATABASE_POOLER = env("DATABASE_POOLER", default="")
if DATABASE_POOLER not in ("", "pgbouncer-transaction"):
    raise ImproperlyConfigured("DATABASE_POOLER is empty or pgbouncer-transaction.")
if DATABASE_POOLER:
    for _database in DATABASES.values():
        if _database["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_POOLER applies to PostgreSQL databases only.")
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = None
DATABASE_ROUTERS = ["unionhome.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "unionhome.urls"
WSGI_APPLICATION = "unionhome.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "django_filters",
    "simple_history",
    "accounts.lockout.LockoutConfig",  # django-axes, named in Chinese in the admin site
    "django_tasks",
    "django_tasks_db",
]
LOCAL_APPS = [
    "unionhome",
    "accounts",
    # jobs early: the apps below hand their long work to it.
    "jobs",
    "groups",
    "activities",
    "learning",
    # funds before welfare and campaigns: their payments go into its batches.
    "funds",
    "welfare",
    # homes before scoring: the demo's titles are in place when its assessment is computed.
    "homes",
    # plans after homes: a group's year plan is its 创建方案 (homes) with activities by month.
    "plans",
    "scoring",
    "membership",
    "dues",
    "campaigns",
    "caretasks",
    "rectifications",
    "improvements",
    "congresses",
    "disclosures",
    "democracy",
    # binders after every app whose records go into the 台账.
    "binders",
    "dashboard",
    "portal",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# BACKGROUND JOBS
# ------------------------------------------------------------------------------
# Long work (binders, big exports, large imports) is queued in the database and run by
# `manage.py db_worker` (make run starts one beside the server): no broker to install.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or address before checking.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading a session's user with their member record.
    "accounts.backends.UserBackend",
]
# Repeated failed logins lock the account and, separately, the address for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "unionhome.network.client_address"
# How many proxies of ours stand before gunicorn (nginx: 1; a load balancer and nginx: 2).
# Behind them, REMOTE_ADDR is the proxy's address, and X-Forwarded-For says whose it was.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator"},
]

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "unionhome.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are never served from a public URL: views check the user's scope first.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Uploads live where every application server reaches them: a shared folder (the default)
# or S3-compatible object storage (MEDIA_STORAGE=s3, e.g. MinIO or a cloud bucket).
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default="media"),
            # Files are private: the application streams them after checking the scope.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50
# Member import files (xlsx / csv); 10,000 members fit well inside this.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Photos and documents attached to records: per file, per record, and how many.
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_TOTAL_BYTES = env.int("UPLOAD_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=20)

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unionhome.context_processors.navigation",
                "accounts.context_processors.reading",
            ],
            # The `day` filter writes every date people read in one style.
            "builtins": ["unionhome.templatetags.dates"],
        },
    },
]
FORM_RENDERER = "unionhome.forms.FormRenderer"

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# ADMIN
# ------------------------------------------------------------------------------
ADMIN_URL = env("ADMIN_URL", default="admin/")

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="unionhome@localhost")

# LOGGING
# ------------------------------------------------------------------------------
# An error is logged with who asked for what (user, method, path) and the traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "unionhome.logging.RequestContextFilter"}},
    "formatters": {
        "verbose": {
            "format": "%(asctime)s %(levelname)s %(name)s "
            "[%(user)s %(address)s %(method)s %(path)s] "
            "%(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "verbose",
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# CACHE
# ------------------------------------------------------------------------------
# Each process keeps its own by default; the dashboard's cached figures stay right across
# servers all the same, because their key is read from the database. A shared cache
# (CACHE_URL=redis://127.0.0.1:6379/0, or dbcache://unionhome_cache after
# `createcachetable`) saves each process computing them once, drops the organisation's
# name on every server when it is edited, and counts the join-status lookups' wrong
# attempts once for all servers.
CACHE_URL = env("CACHE_URL", default="") or "locmemcache://unionhome"
# Django's own Redis backend (the `redis` package), even where django-redis is installed,
# which django-environ would pick instead.
CACHES = {
    "default": env.cache_url_config(
        CACHE_URL,
        backend="django.core.cache.backends.redis.RedisCache"
        if CACHE_URL.startswith(("redis://", "rediss://"))
        else None,
    )
}

# APPLICATION
# ------------------------------------------------------------------------------
UNIONHOME = {
    # The organisation this installation serves: data, shown as written in every language.
    "ORGANISATION_NAME": env("ORGANISATION_NAME", default="示范矿工会"),
    # Where the application is reached, for the links in reminders.
    "BASE_URL": env("BASE_URL", default="http://127.0.0.1:8000"),
    "PAGE_SIZE": 50,
    # A group's monthly report is due by this day of the following month.
    "REPORT_DEADLINE_DAY": env.int("REPORT_DEADLINE_DAY", default=5),
    # A member with no care visit for this many days is listed for their group leader.
    "CARE_VISIT_INTERVAL_DAYS": env.int("CARE_VISIT_INTERVAL_DAYS", default=180),
    # The dashboard's year figures are recomputed after any change to what they count,
    # and at the latest after this many seconds (see dashboard/cache.py).
    "FIGURES_CACHE_SECONDS": env.int("FIGURES_CACHE_SECONDS", default=600),
    # Reminder robots post over https to public addresses only; a test robot inside the
    # network needs these (dashboard/webhooks.py).
    "WEBHOOK_ALLOW_HTTP": env.bool("WEBHOOK_ALLOW_HTTP", default=False),
    "WEBHOOK_ALLOWED_HOSTS": env.list("WEBHOOK_ALLOWED_HOSTS", default=[]),
}
if not 1 <= UNIONHOME["REPORT_DEADLINE_DAY"] <= 28:
    # Every month has the day, February included.
    raise ImproperlyConfigured("REPORT_DEADLINE_DAY must be a day from 1 to 28.")

# A list filter left empty reads 全部 ("All"), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
