"""The settings of docs/deploy.md's two servers: behind PgBouncer in transaction pooling,
with Redis as the cache. Read in a fresh process from the environment, as a server does."""

import os
import subprocess
import sys


def settings_value(expression, *, pythonpath="", **env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='unionhome.settings.base';"
        f"from django.conf import settings; print({expression})"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REPLICA_DATABASE_URL", "DATABASE_POOLER", "CACHE_URL")
    }
    if pythonpath:
        clean["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**clean, "DEBUG": "true", "DOTENV": "", **env},
        timeout=60,
    )


def test_the_transaction_pooler_setting_turns_off_what_outlives_a_transaction():
    urls = {
        "DATABASE_URL": "postgres://union@127.0.0.1:6432/unionhome",
        "REPLICA_DATABASE_URL": "postgres://union@127.0.0.1:6432/unionhome_replica",
    }
    expression = (
        "sorted((alias, d.get('DISABLE_SERVER_SIDE_CURSORS', False), d.get('OPTIONS', {})) "
        "for alias, d in settings.DATABASES.items())"
    )
    pooled = settings_value(expression, DATABASE_POOLER="pgbouncer-transaction", **urls)
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.strip() == (
        "[('default', True, {'prepare_threshold': None}), "
        "('replica', True, {'prepare_threshold': None})]"
    )
    # Without it, Django's defaults: a server-side cursor for .iterator().
    direct = settings_value(expression, **urls)
    assert direct.stdout.strip() == "[('default', False, {}), ('replica', False, {})]"


def test_the_pooler_setting_refuses_what_it_cannot_mean():
    unknown = settings_value("settings.DATABASES", DATABASE_POOLER="pgbouncer-session")
    assert unknown.returncode != 0 and "DATABASE_POOLER" in unknown.stderr
    sqlite = settings_value(
        "settings.DATABASES",
        DATABASE_POOLER="pgbouncer-transaction",
        DATABASE_URL="sqlite:///x.sqlite3",
    )
    assert sqlite.returncode != 0 and "DATABASE_POOLER" in sqlite.stderr


def test_a_redis_url_is_djangos_own_redis_cache_even_beside_django_redis(tmp_path):
    # django-environ would pick django-redis's backend wherever that package is importable.
    (tmp_path / "django_redis").mkdir()
    (tmp_path / "django_redis" / "__init__.py").write_text("")
    for pythonpath in ("", str(tmp_path)):
        found = settings_value(
            "settings.CACHES['default']",
            pythonpath=pythonpath,
            CACHE_URL="redis://127.0.0.1:6379/7",
        )
        assert found.returncode == 0, found.stderr
        assert found.stdout.strip() == (
            "{'BACKEND': 'django.core.cache.backends.redis.RedisCache', "
            "'LOCATION': 'redis://127.0.0.1:6379/7'}"
        )
    default = settings_value("settings.CACHES['default']['BACKEND']")
    assert default.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
