"""The OpenAPI schema: committed, valid, and true to what the API answers."""

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import spectacular_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate

from bpdialogue.wsgi import application

from .conftest import key_client

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def generated_schema() -> bytes:
    # The generator the schema view and `manage.py spectacular` use (bpdialogue.api.schema).
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    return OpenApiYamlRenderer().render(generator.get_schema(request=None, public=True))


def test_committed_schema_is_the_generated_one_and_valid():
    generated = generated_schema()
    validate(yaml.safe_load(generated))
    assert generated.decode() == COMMITTED.read_text(), (
        "The API changed: review the difference, then regenerate with "
        "`DEBUG=1 .venv/bin/python manage.py spectacular --file docs/openapi.yaml`."
    )


def test_every_operation_documents_its_errors_and_every_parameter_is_described():
    schema = yaml.safe_load(COMMITTED.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert {"400", "401", "404", "429"} <= set(operation["responses"]), (path, method)
            if method in ("put", "patch", "delete"):
                assert {"412", "428"} <= set(operation["responses"]), (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, method, parameter["name"])


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn():
    client = Client(HTTP_HOST="localhost")
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "bpdialogue API"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    """The WSGI handler closes the database connection after each request, which would
    end the test's transaction; Django's own test client prevents it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Examples per operation: enough to probe filters, ids and bodies; the whole run stays
# around a minute on a busy machine.
EXAMPLES = 6


@pytest.mark.fuzz
@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(
    demo, wsgi_requests_keep_the_test_transaction
):
    schema = schemathesis.from_wsgi("/api/v1/schema/?format=json", application)
    writer = key_client("read:participants", "read:personal", "write")
    authorization = writer._credentials["HTTP_AUTHORIZATION"]
    checks = (
        schemathesis.checks.not_a_server_error,
        schemathesis.checks.status_code_conformance,
        schemathesis.checks.content_type_conformance,
        schemathesis.checks.response_schema_conformance,
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call_wsgi(headers={"Authorization": authorization, "Host": "localhost"})
            case.validate_response(response, checks=checks)

        check()
