"""The Content-Security-Policy is strict everywhere; only the API explorer widens it, for itself."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(directive.strip().split(" ", 1) for directive in header.split(";"))


def test_the_policy_loads_nothing_from_other_origins():
    policy = directives(Client().get("/healthz"))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def test_only_the_api_explorer_may_use_inline_styles():
    client = Client(HTTP_HOST="localhost")
    explorer = directives(client.get("/api/v1/docs/"))
    assert explorer["style-src"] == "'self' 'unsafe-inline'"
    assert explorer["script-src"] == "'self'"
    assert directives(client.get("/api/v1/schema/"))["style-src"] == "'self'"
