"""One archive with everything an installation holds: the database rows of every app (change
history included) and the document files, and its restore into an empty database.

Files are streamed one by one, into the archive and out of it (memory stays flat however large
the document store), and one restore at a time runs into a database (PostgreSQL: an advisory
lock; the others are refused with the reason).

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
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = "bpdialogue-backup/1"
FIXTURE_FORMAT = "bpjson"  # bpdialogue/backupjson.py: JSON with exact times
FIXTURE = f"data.{FIXTURE_FORMAT}"
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
CHUNK_BYTES = 1024 * 1024
# PostgreSQL's advisory lock held by the restore running into a database (any fixed number;
# this one names the command).
RESTORE_LOCK = zlib.crc32(b"bpdialogue restore_data")


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


def _file_columns(model) -> list[str]:
    """The columns of `model` that name a stored file. A history table (simple-history) keeps
    its record's file fields as plain text."""
    record = getattr(model, "instance_type", model)
    files = {field.name for field in record._meta.concrete_fields if isinstance(field, FileField)}
    return [field.name for field in model._meta.concrete_fields if field.name in files]


def _stored_file_names() -> set[str]:
    """Every stored file a row names (documents, invitations' agendas), past revisions in the
    history included: the files of the storage in use, a folder or a bucket."""
    names = set()
    for model in _backed_up_models():
        for column in _file_columns(model):
            rows = model._default_manager.exclude(**{column: ""}).exclude(**{column: None})
            names.update(rows.values_list(column, flat=True))
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


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return _sha256(handle)


def _add_file(tar: tarfile.TarFile, name: str, handle, size: int) -> None:
    """Add `size` bytes read from `handle` as `name`, copied through in chunks."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, handle)


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
        # Read twice, a file at a time: once for the manifest, which comes first in the
        # archive, and once into the archive. Stored document files never change.
        files = {name: _stored_sha256(name) for name in sorted(_stored_file_names())}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "migrations": _applied_migrations(),
            "counts": counts,
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=1).encode()
            _add_file(tar, "manifest.json", io.BytesIO(data), len(data))
            tar.add(fixture, arcname=FIXTURE)
            for name in files:
                with default_storage.open(name, "rb") as handle:
                    member = f"files/{_safe_member_name(name)}"
                    _add_file(tar, member, handle, default_storage.size(name))
        # Renamed only when complete: a crash never leaves a truncated archive under the name.
        partial.replace(output)
    return BackupSummary(rows=sum(counts.values()), models=len(counts), files=len(files))


def _open_member(tar: tarfile.TarFile, name: str):
    """A member of the archive, to be read in chunks."""
    try:
        handle = tar.extractfile(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}.") from None
    if handle is None:
        raise BackupError(f"{name} in the archive is not a file.")
    return handle


def _empty_database_check(manifest: dict) -> None:
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


def _restore_lock() -> None:
    """Hold, until the transaction ends, the right to restore into this database. Two
    restores started at once would both find it empty; the second would then fail on the
    first one's rows. On SQLite, which writes one transaction at a time, there is no lock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [RESTORE_LOCK])
        (locked,) = cursor.fetchone()
    if not locked:
        raise BackupError(
            "Another restore into this database is running; nothing was restored. Once it "
            "has finished, the database holds its data (restore again into a new database)."
        )


def _files_check(tar: tarfile.TarFile, files: dict[str, str]) -> None:
    """Every file in the archive, read through once against its checksum."""
    for name, digest in files.items():
        with _open_member(tar, f"files/{_safe_member_name(name)}") as handle:
            if _sha256(handle) != digest:
                raise BackupError(f"{name} in the archive is damaged (checksum mismatch).")


def dataset_restore(*, archive: Path) -> BackupSummary:
    """Load an archive written by `dataset_backup` into an empty, migrated database."""
    with tarfile.open(archive, "r:gz") as tar:
        with _open_member(tar, "manifest.json") as handle:
            manifest = json.load(handle)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Not a {FORMAT} archive (format {manifest.get('format')!r}).")
        # Checked first so a mistake is told at once, before the files are read through;
        # checked again under the lock, where it counts.
        _empty_database_check(manifest)
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
        files = manifest["files"]
        _files_check(tar, files)
        _register_fixture_format()
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / FIXTURE
            with _open_member(tar, FIXTURE) as source, open(fixture, "wb") as target:
                shutil.copyfileobj(source, target, CHUNK_BYTES)
            # The archive holds the history; loading must not add more (simple-history records
            # many-to-many changes even for fixture loads).
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                _restore_lock()
                _empty_database_check(manifest)
                call_command("loaddata", str(fixture), verbosity=0)
                for name in files:
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    member = f"files/{_safe_member_name(name)}"
                    with _open_member(tar, member) as handle:
                        content = File(handle, name=name)
                        # Not the size File would guess from the handle's name (the archive's).
                        content.size = tar.getmember(member).size
                        stored = default_storage.save(name, content)
                    if stored != name:
                        raise BackupError(f"Could not store {name} under its own name.")
    counts = manifest["counts"]
    return BackupSummary(rows=sum(counts.values()), models=len(counts), files=len(files))
