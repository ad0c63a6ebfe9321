"""Tests that need a process of their own (`python -m` on the test's module, which prints what
it found as JSON on its last line): a step whose peak memory must be its own, or a data
migration tried on the database it was written for. The suite's database is built from the
models, where a migration's data has long been migrated, so the module's `main` sets Django up
on a SQLite database of its own (`django_on`), migrates it to the migration before the one
under test (`migrated_to`), fills the rows, migrates on and reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_in_own_process(module: str, *args: str | Path):
    """Run `module` (`python -m`) with `args` in a fresh process; what it printed last, as
    JSON. A migration test's module gets its database's path."""
    done = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bpdialogue.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def django_on(database: Path) -> None:
    """Set Django up in this process on a SQLite database at `database`."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()


def migrated_to(target: tuple[str, str]):
    """Migrate the database (forwards or back) to `target`; its historical models."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps
