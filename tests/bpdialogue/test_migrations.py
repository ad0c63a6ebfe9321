"""The migrations build the schema the models describe, from an empty database: the suite's
SQLite pass builds its test database from the models directly, so this is where migrating
from zero is proved."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def manage(*args, database: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_empty_database_migrates_to_the_models_and_nothing_is_missing(tmp_path):
    database = tmp_path / "fresh.sqlite3"

    # (That the models and migrations agree is tests/bpdialogue/test_project.py's check.)
    migrated = manage("migrate", "--noinput", "-v", "2", database=database)
    assert migrated.returncode == 0, migrated.stderr
    # "  Applying meetings.0001_initial... OK (0.012s)"
    applied = [
        line.split()[1].removesuffix("...")
        for line in migrated.stdout.splitlines()
        if line.strip().startswith("Applying ") and "... OK" in line
    ]
    assert applied, migrated.stdout
    domain_apps = {"participants", "meetings", "projects", "workplans"}
    domain = [name for name in applied if name.split(".")[0] in domain_apps]
    # One initial migration each (no model cycle across apps splits one); later migrations
    # change what the initial one made.
    initial = sorted(name for name in domain if name.split(".")[1].endswith("_initial"))
    assert initial == [f"{app}.0001_initial" for app in sorted(domain_apps)]
