"""One archive with everything an installation holds: the database rows of every app (change
history included) and the document files, and its restore into an empty database.

Archive layout (tar.gz):
    manifest.json   format, creation time, applied migrations, row counts per model, files
    data.bpjson     Django JSON fixture with exact times (natural foreign keys: users by username, content types
                    by app and model, so it loads into a freshly migrated database)
    files/<name>    each stored document file under its storage name
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = "bpdialogue-backup/1"
FIXTURE_FORMAT = "bpjson"  # bpdialogue/backupjson.py: JSON with exact times
FIXTURE = f"data.{FIXTURE_FORMAT}"
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupSummary:
    rows: int
    models: int
    files: int


def _register_fixture_format() -> None:
    serializers.register_serializer(FIXTURE_FORMAT, "bpdialogue.backupjson")


def _backed_up_models() -> list:
    skip_apps = {label for label in EXCLUDED if "." not in label}
    skip_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in skip_apps
        and model._meta.label_lower not in skip_models
        and model._meta.managed
        and not model._meta.proxy
    ]


def _document_file_names() -> set[str]:
    """Files of every document row, past revisions in the history included."""
    names = set()
    for label in ("meetings.Document", "meetings.HistoricalDocument"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names.update(model._default_manager.exclude(file="").values_list("file", flat=True))
    return {name for name in names if default_storage.exists(name)}


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Refusing a file name that leaves the storage: {name!r}")
    return str(path)


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def dataset_backup(*, output: Path) -> BackupSummary:
    """Write the archive to `output`. Reads in one transaction so rows and files agree."""
    output = Path(output)
    _register_fixture_format()
    models = _backed_up_models()
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        fixture = Path(tmp) / FIXTURE
        call_command(
            "dumpdata",
            *[model._meta.label for model in models],
            format=FIXTURE_FORMAT,
            natural_foreign=True,
            output=str(fixture),
            verbosity=0,
        )
        counts = {model._meta.label: model._default_manager.count() for model in models}
        files = {}
        for name in sorted(_document_file_names()):
            with default_storage.open(name, "rb") as handle:
                files[name] = handle.read()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "migrations": _applied_migrations(),
            "counts": counts,
            "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            tar.add(fixture, arcname=FIXTURE)
            for name, data in files.items():
                _add_bytes(tar, f"files/{_safe_member_name(name)}", data)
        # Renamed only when complete: a crash never leaves a truncated archive under the name.
        partial.replace(output)
    return BackupSummary(rows=sum(counts.values()), models=len(counts), files=len(files))


def _read_member(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        handle = tar.extractfile(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}.") from None
    if handle is None:
        raise BackupError(f"{name} in the archive is not a file.")
    return handle.read()


def dataset_restore(*, archive: Path) -> BackupSummary:
    """Load an archive written by `dataset_backup` into an empty, migrated database."""
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(_read_member(tar, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Not a {FORMAT} archive (format {manifest.get('format')!r}).")
        occupied = [
            label for label in manifest["counts"] if apps.get_model(label)._default_manager.exists()
        ]
        if occupied:
            raise BackupError(
                "The database is not empty (it holds "
                + ", ".join(occupied[:5])
                + (" ..." if len(occupied) > 5 else "")
                + " rows). Restore into a new database: create it, run `manage.py migrate`, "
                "then `manage.py restore_data`."
            )
        missing = {
            app: sorted(set(names) - set(_applied_migrations().get(app, [])))
            for app, names in manifest["migrations"].items()
        }
        missing = {app: names for app, names in missing.items() if names}
        if missing:
            raise BackupError(
                f"The database lacks migrations the backup was made with: {missing}. "
                "Run `manage.py migrate` with the code of that version first."
            )
        files = {}
        for name, digest in manifest["files"].items():
            data = _read_member(tar, f"files/{_safe_member_name(name)}")
            if hashlib.sha256(data).hexdigest() != digest:
                raise BackupError(f"{name} in the archive is damaged (checksum mismatch).")
            files[name] = data
        _register_fixture_format()
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / FIXTURE
            fixture.write_bytes(_read_member(tar, FIXTURE))
            # The archive holds the history; loading must not add more (simple-history records
            # many-to-many changes even for fixture loads).
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(fixture), verbosity=0)
                for name, data in files.items():
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    stored = default_storage.save(name, ContentFile(data))
                    if stored != name:
                        raise BackupError(f"Could not store {name} under its own name.")
    counts = manifest["counts"]
    return BackupSummary(rows=sum(counts.values()), models=len(counts), files=len(files))
