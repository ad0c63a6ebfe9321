import pytest

from bpdialogue.demo import load_demo


@pytest.fixture(autouse=True)
def _isolated_media_and_static(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder; static files are served
    unhashed so tests need no collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def demo(db):
    """The Budapest Process demo data, as `manage.py load_demo` loads it."""
    load_demo()
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
