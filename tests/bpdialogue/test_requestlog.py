import json
import logging

import pytest

from bpdialogue.requestlog import JsonFormatter, RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_log_lines_are_json_with_the_request_id_and_extra_fields():
    record = logging.makeLogRecord(
        {"name": "bpdialogue.test", "levelname": "WARNING", "msg": "slow %s", "args": ("render",)}
    )
    record.path = "/meetings/"
    token = current_request_id.set("req-0001")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "slow render"
    assert entry["request_id"] == "req-0001"
    assert entry["level"] == "WARNING" and entry["logger"] == "bpdialogue.test"
    assert entry["path"] == "/meetings/"
