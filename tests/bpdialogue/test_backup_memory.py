"""backup_data and restore_data stream the document files one by one: 200 MB of them go
through each in a process whose memory grows by less than 60 MB.

Each step runs in its own process (this module, run with `python -m`), on an SQLite database
and a document store of its own under the test's temporary folder, so its peak resident memory
is its own. The schema comes from the models, as the suite's SQLite databases do."""

import json
import os
import sys
from pathlib import Path

from tests.own_process import run_in_own_process

FILES = 8
FILE_BYTES = 25 * 1024 * 1024
MiB = 1024 * 1024
GROWTH_LIMIT = 60 * MiB


def step(name: str, folder: Path) -> dict:
    """Run one step in a fresh process; what it reports (as JSON on its last line)."""
    return run_in_own_process("tests.bpdialogue.test_backup_memory", name, folder)


def test_backup_and_restore_of_200_mb_of_files_hold_under_60_mb(tmp_path):
    filled = step("fill", tmp_path)
    backup = step("backup", tmp_path)
    restore = step("restore", tmp_path)

    archive = tmp_path / "backup.tar.gz"
    print(
        f"\n{filled['files']} files, {filled['bytes'] / MiB:.0f} MiB in all; archive "
        f"{archive.stat().st_size / MiB:.0f} MiB"
    )
    for name, figures in (("backup_data", backup), ("restore_data", restore)):
        print(
            f"{name}: resident {figures['before'] / MiB:.0f} MiB before, peak "
            f"{figures['peak'] / MiB:.0f} MiB, growth {figures['growth'] / MiB:.1f} MiB, "
            f"{figures['seconds']:.1f} s"
        )
    assert filled == {"files": FILES, "bytes": FILES * FILE_BYTES}
    assert backup["files"] == restore["files"] == FILES
    restored = tmp_path / "restored-media"
    assert sorted(p.stat().st_size for p in restored.rglob("*.pdf")) == [FILE_BYTES] * FILES
    assert backup["growth"] < GROWTH_LIMIT
    assert restore["growth"] < GROWTH_LIMIT


# -- the steps, each in its own process ------------------------------------------------------


def _memory(field: str) -> int:
    """VmRSS (resident now) or VmHWM (its peak so far), in bytes, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _setup(folder: Path, *, database: str, media: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / database}"
    os.environ["MEDIA_ROOT"] = str(folder / media)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def _schema() -> None:
    from django.conf import settings
    from django.core.management import call_command

    class NoMigrations(dict):
        def __contains__(self, app):
            return True

        def __getitem__(self, app):
            return None

    settings.MIGRATION_MODULES = NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)


def _fill(folder: Path) -> dict:
    """A meeting with FILES documents of random bytes (incompressible, as PDFs nearly are)."""
    from django.core.files.storage import default_storage

    from tests.factories import DocumentFactory, MeetingFactory

    _schema()
    meeting = MeetingFactory()
    for number in range(FILES):
        name = f"documents/2026/paper-{number}.pdf"
        path = Path(default_storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            for _ in range(FILE_BYTES // MiB):
                handle.write(os.urandom(MiB))
        DocumentFactory(meeting=meeting, file=name, size=FILE_BYTES)
    stored = list(Path(default_storage.path("documents")).rglob("*.pdf"))
    return {"files": len(stored), "bytes": sum(p.stat().st_size for p in stored)}


def _measured(call) -> dict:
    import time

    before = _memory("VmRSS")
    started = time.monotonic()
    summary = call()
    peak = _memory("VmHWM")
    return {
        "files": summary.files,
        "before": before,
        "peak": peak,
        "growth": peak - before,
        "seconds": time.monotonic() - started,
    }


def main(name: str, folder: Path) -> dict:
    if name == "restore":
        _setup(folder, database="restored.sqlite3", media="restored-media")
        _schema()
        from bpdialogue.backup import dataset_restore

        return _measured(lambda: dataset_restore(archive=folder / "backup.tar.gz"))
    _setup(folder, database="source.sqlite3", media="media")
    if name == "fill":
        return _fill(folder)
    from bpdialogue.backup import dataset_backup

    return _measured(lambda: dataset_backup(output=folder / "backup.tar.gz"))


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]))))
