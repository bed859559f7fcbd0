"""Backing up and restoring everything the application keeps: the database's records (as
Django's portable JSON, so a backup moves between SQLite and PostgreSQL) and the uploaded
files, in one .tar.gz with a manifest of what it holds."""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import management
from django.core.files.storage import default_storage
from django.db import connection, transaction

# Rebuilt by `migrate` on every database; the backup refers to them by natural keys.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes"]


def model_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label
        if (
            model._meta.app_label in ("contenttypes", "sessions", "axes")
            or label == "auth.Permission"
        ):
            continue
        counts[label] = model._base_manager.count()
    return counts


def stored_files(storage=None, folder: str = "") -> list[str]:
    """Every uploaded file's name, read through the storage the uploads use (a folder, or
    S3-compatible object storage alike)."""
    storage = storage or default_storage
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files if not name.startswith(".")]
    for sub in folders:
        names += stored_files(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


@contextmanager
def _history_paused():
    """Loading the backup must not write change history of its own (the backup holds
    it): django-simple-history's switch, SIMPLE_HISTORY_ENABLED, for the time of the load."""
    before = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = before


def backup(path: Path) -> dict:
    """Write the backup; return its manifest."""
    data = io.StringIO()
    management.call_command(
        "dumpdata", natural_foreign=True, exclude=LEFT_OUT, indent=None, stdout=data
    )
    files = stored_files()
    manifest = {
        "made_at": datetime.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "counts": model_counts(),
        "files": files,
    }
    with tarfile.open(path, "w:gz") as archive:
        for name, text in (
            ("data.json", data.getvalue()),
            ("manifest.json", json.dumps(manifest, ensure_ascii=False)),
        ):
            payload = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
        for name in files:
            with default_storage.open(name, "rb") as handle:
                payload = handle.read()
            info = tarfile.TarInfo(f"media/{name}")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return manifest


def restore(path: Path) -> dict:
    """Replace the database's records and the uploaded files with those of a backup.
    The database must be migrated; everything in it is replaced."""
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        archive.extractall(work, filter="data")
        work = Path(work)
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        # The backup holds the change history itself; loading must not write more of it.
        with transaction.atomic(), _history_paused():
            management.call_command("flush", interactive=False, verbosity=0)
            # `flush` runs post_migrate again, which makes the HQ auth group anew; the
            # backup has its own, with its permissions.
            Group.objects.all().delete()
            management.call_command("loaddata", str(work / "data.json"), verbosity=0)
        media = work / "media"
        if media.exists():
            for file in media.rglob("*"):
                if file.is_file():
                    name = str(file.relative_to(media))
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    with file.open("rb") as handle:
                        default_storage.save(name, handle)
    return manifest
