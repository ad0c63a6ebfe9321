import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "a-long-random-production-secret-6f1c9e2b7d4a8f03e5b1c7d9a2f4e6b8",
    "ALLOWED_HOSTS": "dialogue.example.org",
    "SITE_URL": "https://dialogue.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


def test_deploy_checks_pass_with_the_production_environment():
    clean = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set while browser tests run; production never has it.
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "SECURE_COOKIES",
            "SECURE_SSL_REDIRECT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION_ENVIRONMENT},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_ask_for_the_site_url(settings):
    from bpdialogue.site import site_url_is_set

    settings.SITE_URL = ""
    assert [w.id for w in site_url_is_set(None)] == ["bpdialogue.W001"]
    settings.SITE_URL = "https://dialogue.example.org"
    assert site_url_is_set(None) == []
