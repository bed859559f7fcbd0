"""Backing up and restoring everything the application keeps: the database's records (as
Django's portable JSON, so a backup moves between SQLite and PostgreSQL) and the uploaded
files, in one .tar.gz with a manifest of what it holds."""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import management
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import override_settings

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


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


def backup(path: Path) -> dict:
    """Write the backup; return its manifest."""
    data = io.StringIO()
    management.call_command(
        "dumpdata", natural_foreign=True, exclude=LEFT_OUT, indent=None, stdout=data
    )
    files = _media_files()
    root = Path(settings.MEDIA_ROOT)
    manifest = {
        "made_at": datetime.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "counts": model_counts(),
        "files": sorted(str(p.relative_to(root)) for p in files),
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
        for file in files:
            archive.add(file, arcname=f"media/{file.relative_to(root)}")
    return manifest


def restore(path: Path) -> dict:
    """Replace the database's records and the uploaded files with those of a backup.
    The database must be migrated; everything in it is replaced."""
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        archive.extractall(work, filter="data")
        work = Path(work)
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        # The backup holds the change history itself; loading must not write more of it.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
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
