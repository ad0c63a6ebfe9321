import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}
    }
    code = (
        "import django, json; from django.conf import settings as s; django.setup();"
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.DATABASES['default'].get('OPTIONS', {}).get('pool') is not None, s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "bpdialogue.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_defaults_are_sqlite_and_eager_celery():
    result = run_settings({"SECRET_KEY": "x"})
    assert result.stdout.strip() == '["django.db.backends.sqlite3", false, true, false]'


def test_database_url_selects_postgresql_with_a_pool_and_broker_disables_eager():
    result = run_settings(
        {
            "SECRET_KEY": "x",
            "DEBUG": "1",
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/db",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert result.stdout.strip() == '["bpdialogue.database", true, false, true]'


def test_every_periodic_job_names_a_task_the_workers_know():
    from bpdialogue.celery import app

    # What a worker imports when it starts: each installed app's tasks module.
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    # A time of day in settings is a crontab for beat.
    reminders = app.conf.beat_schedule["action-point-reminders"]["schedule"]
    assert (reminders.hour, reminders.minute) == ({7}, {0})
    assert app.conf.beat_schedule["webhooks-send-due"]["schedule"] == 60.0
