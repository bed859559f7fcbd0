"""The settings that take the application past one machine: shared object storage for
uploads and a read replica for the pages that only read."""

import os
import subprocess
import sys

from unionhome.db import ReplicaRouter, reads_from_replica


def settings_value(expression, **env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='unionhome.settings.base';"
        f"from django.conf import settings; print({expression})"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**clean, "DEBUG": "true", "DOTENV": "", **env},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_uploads_switch_to_s3_compatible_storage_by_setting():
    backend = settings_value(
        "settings.STORAGES['default']['BACKEND']",
        MEDIA_STORAGE="s3",
        S3_BUCKET="union-media",
        S3_ENDPOINT_URL="http://minio:9000",
    )
    assert backend == "storages.backends.s3.S3Storage"
    options = settings_value(
        "sorted(settings.STORAGES['default']['OPTIONS'].items())",
        MEDIA_STORAGE="s3",
        S3_BUCKET="union-media",
    )
    assert "'default_acl', 'private'" in options and "'bucket_name', 'union-media'" in options
    assert (
        settings_value("settings.STORAGES['default']['BACKEND']")
        == "django.core.files.storage.FileSystemStorage"
    )


def test_a_replica_is_configured_by_url_and_never_migrated():
    aliases = settings_value(
        "sorted(settings.DATABASES)", REPLICA_DATABASE_URL="postgres://reader@10.0.0.2:5432/union"
    )
    assert aliases == "['default', 'replica']"
    assert ReplicaRouter().allow_migrate("replica", "groups") is False


REPLICA = {"replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}


def test_only_pages_marked_as_reading_go_to_the_replica(settings, monkeypatch):
    router = ReplicaRouter()
    monkeypatch.setitem(settings.DATABASES, "replica", REPLICA["replica"])
    assert router.db_for_read(None) is None  # the primary, by default
    seen = []

    @reads_from_replica
    def dashboard():
        seen.append((router.db_for_read(None), router.db_for_write(None)))

    dashboard()
    assert seen == [("replica", "default")]
    assert router.db_for_read(None) is None  # and back to the primary afterwards


def test_without_a_replica_the_marked_pages_read_the_primary():
    @reads_from_replica
    def dashboard():
        return ReplicaRouter().db_for_read(None)

    assert dashboard() is None
