"""Testing a data migration on the database it was written for.

The suite's database is built from the models, where a migration's data has long been
migrated, so such a test runs in its own process (`python -m` on its module) against a SQLite
database migrated from zero to the migration before the one under test: the module's `main`
sets Django up with `django_on`, migrates with `migrated_to`, fills the rows, migrates on and prints what it found as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_in_own_process(module: str, database: Path):
    """Run `module`'s main on a new database at `database`; what it printed last, as JSON."""
    done = subprocess.run(
        [sys.executable, "-m", module, str(database)],
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
