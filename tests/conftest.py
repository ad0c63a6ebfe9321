import os

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from demo.loader import load_demo
from tests.storage import storage_of_test

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def pytest_configure(config):
    # On SQLite the test database is built from the models, not by running every migration:
    # nothing there needs them (the full-text indexes are PostgreSQL's), and
    # tests/bpdialogue/test_migrations.py still migrates a fresh database from zero.
    # PostgreSQL's pass runs the migrations, as a deployment does.
    if not ON_POSTGRESQL:
        config.option.nomigrations = True


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` prove what only a database with concurrent writers can
    show; elsewhere they are deselected (and say so in the summary), not skipped."""
    if ON_POSTGRESQL:
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher costs a tenth of a second per password on purpose; tests create
    # hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request under /ru/ leaves Russian active in
    the thread (LocaleMiddleware activates a language, nothing deactivates it), and `reverse`
    would then give the next test /ru/ paths."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _two_factor_asked_not_required(settings):
    # Tests sign the secretariat in with force_login and no authenticator: two-factor asks
    # them at the sign-in form only, as with TWO_FACTOR_REQUIRED off. tests/portal/
    # test_two_factor.py turns it on where it is the point.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _isolated_media_and_static(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder (or a bucket's: tests/storage.py);
    static files are served unhashed so tests need no collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_of_test(settings, tmp_path),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """Every row `load_demo` writes, read once per test session inside a transaction that is
    then rolled back: [(model, [field values of each row])], many-to-many tables included."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        # What the database holds before (content types, permissions) is not the demo's.
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        load_demo()
        rows = []
        for model in models:
            names = [field.attname for field in model._meta.concrete_fields]
            values = list(
                model._base_manager.exclude(pk__in=before[model]).order_by("pk").values_list(*names)
            )
            if values:
                rows.append((model, [dict(zip(names, row, strict=True)) for row in values]))
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def demo(db, demo_rows):
    """The Budapest Process demo data, as `manage.py load_demo` loads it (tests of the loader
    itself call `load_demo`; this copies its rows back in, a hundred times faster)."""
    # One transaction, so the foreign keys are checked once every table is filled (they are
    # deferred), also in tests that run outside a test transaction.
    with transaction.atomic():
        for model, values in demo_rows:
            model._base_manager.bulk_create([model(**row) for row in values])
    # Rows came with their ids: the next id of each table must follow them (PostgreSQL).
    statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in demo_rows])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    from meetings.models import Meeting

    return Meeting.objects.get(sequence_number=24, kind=Meeting.Kind.SENIOR_OFFICIALS)


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Celery tasks run inline in tests, even when REDIS_URL configures a broker, except in
    tests marked `integration`, which start real workers."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    from bpdialogue.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: throttle histories are keyed by ids that the next
    test's rows reuse, and must not carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
