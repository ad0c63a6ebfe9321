"""Webhooks against a real HTTP receiver (a threaded http.server on 127.0.0.1): signed after
Standard Webhooks and verified with its library, retried, disabled on 410, in order per
object, filtered through the access policy, never sent to a private address unless allowed."""

from __future__ import annotations

import contextlib
import datetime
import http.server
import socket
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from bpdialogue import webhooks
from bpdialogue.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bpdialogue.tasks import send_due_webhooks
from meetings.models import Meeting
from tests.api.conftest import key_client, secretariat_client
from tests.factories import (
    ActionPointFactory,
    DocumentFactory,
    MeetingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's receiver: keeps what it was sent, answers the statuses it is given (then
    200)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []
        self.port = 0
        self.start()

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(f"answered {status}".encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def events(self):
        return [(r["path"], r["headers"]["webhook-id"]) for r in self.received]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def clock(monkeypatch):
    """Moves the time the services read (the receiver's library checks a signature's time
    against the real clock, within five minutes)."""

    class Clock:
        offset = datetime.timedelta()

        def advance(self, **delta):
            self.offset += datetime.timedelta(**delta)

    clock, real_now = Clock(), timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def endpoint_for(receiver, *scopes, path="/hook", **fields):
    endpoint, secret = webhooks.webhook_endpoint_create(
        name="IOM data hub",
        url=receiver.url(path),
        scopes=list(scopes or ["read:public"]),
        **fields,
    )
    return endpoint, secret


@contextmanager
def committed(django_capture_on_commit_callbacks):
    # The test runs in a transaction that is never committed: run what waits for the commit.
    with django_capture_on_commit_callbacks(execute=True):
        yield


def api_change(meeting, django_capture_on_commit_callbacks, writer=None, **changes):
    writer = writer or key_client("write", "read:participants")
    url = f"/api/v1/meetings/{meeting.uid}/"
    etag = writer.get(url)["ETag"]
    with committed(django_capture_on_commit_callbacks):
        response = writer.patch(url, changes, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    return response


def test_a_change_through_the_api_sends_one_delivery_the_library_verifies(
    receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_for(receiver)
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)

    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")

    assert len(receiver.received) == 1
    request = receiver.received[0]
    payload = Webhook(secret).verify(request["body"], request["headers"])
    assert payload["type"] == "meeting.updated"
    assert payload["timestamp"].endswith("Z")
    assert payload["data"]["id"] == str(meeting.uid)
    assert payload["data"]["type"] == "meeting"
    assert payload["data"]["url"].endswith(f"/api/v1/meetings/{meeting.uid}/")
    assert request["headers"]["webhook-id"].startswith("msg_")
    assert request["headers"]["webhook-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):
        Webhook(WebhookEndpoint.new_secret()).verify(request["body"], request["headers"])
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == endpoint and delivery.status == WebhookDelivery.Status.DELIVERED
    attempt = delivery.log.get()
    assert attempt.response_status == 200 and attempt.response_excerpt == "answered 200"


def test_a_refused_change_announces_nothing(receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    writer = key_client("write")
    url = f"/api/v1/meetings/{meeting.uid}/"
    etag = writer.get(url)["ETag"]
    with committed(django_capture_on_commit_callbacks):
        response = writer.patch(url, {"end_date": "2000-01-01"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_a_receiver_answering_500_gets_the_event_again_after_the_wait(
    receiver, clock, django_capture_on_commit_callbacks
):
    _, secret = endpoint_for(receiver)
    receiver.answers = [500]
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)

    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at - delivery.log.get().attempted_at == datetime.timedelta(
        seconds=5
    )
    send_due_webhooks()  # not yet due
    assert len(receiver.received) == 1

    clock.advance(seconds=6)
    send_due_webhooks()

    first, again = receiver.received
    assert first["headers"]["webhook-id"] == again["headers"]["webhook-id"]
    assert Webhook(secret).verify(again["body"], again["headers"])["type"] == "meeting.updated"
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [a.response_status for a in delivery.log.all()] == [200, 500]


def test_retries_follow_the_schedule_for_about_three_days_then_give_up(receiver, clock):
    endpoint, _ = endpoint_for(receiver)
    receiver.answers = [503] * 20
    meeting = MeetingFactory()
    delivery = webhooks.webhook_deliveries_create(
        event_id="msg_1",
        event_type="meeting.updated",
        object_uid=meeting.uid,
        audience="public",
        dialogue_id=meeting.dialogue_id,
        payload={"type": "meeting.updated"},
    )[0]
    waits = []
    while True:
        delivery.refresh_from_db()
        if delivery.status != WebhookDelivery.Status.PENDING:
            break
        waits.append(delivery.next_attempt_at - timezone.now())
        clock.offset += waits[-1]
        send_due_webhooks()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert len(receiver.received) == 13 == delivery.log.count()
    assert [round(w.total_seconds()) for w in waits[:6]] == [5, 300, 1800, 7200, 18000, 36000]
    assert (
        datetime.timedelta(days=3) < sum(waits, datetime.timedelta()) < datetime.timedelta(days=3.5)
    )


def test_an_endpoint_answering_410_is_disabled(receiver, django_capture_on_commit_callbacks):
    endpoint, _ = endpoint_for(receiver)
    receiver.answers = [410]
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)

    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")

    endpoint.refresh_from_db()
    assert not endpoint.enabled and "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED
    api_change(meeting, django_capture_on_commit_callbacks, city="Ankara")
    assert len(receiver.received) == 1


def test_a_participants_only_meeting_is_not_announced_to_a_public_audience(
    receiver, django_capture_on_commit_callbacks
):
    public, _ = endpoint_for(receiver, "read:public", path="/public")
    delegates, _ = endpoint_for(receiver, "read:participants", path="/participants")
    meeting = MeetingFactory(visibility="participants", record_status=Meeting.RecordStatus.DRAFT)

    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")

    assert [r["path"] for r in receiver.received] == ["/participants"]
    assert WebhookDelivery.objects.get(endpoint=public).status == (WebhookDelivery.Status.WITHHELD)


def test_an_endpoint_bound_to_a_dialogue_hears_only_of_its_participants_meetings(
    receiver, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(visibility="participants", record_status=Meeting.RecordStatus.DRAFT)
    other = MeetingFactory(visibility="participants", record_status=Meeting.RecordStatus.DRAFT)
    endpoint_for(receiver, "read:participants", dialogue=meeting.dialogue)

    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")
    api_change(other, django_capture_on_commit_callbacks, city="Istanbul")

    assert len(receiver.received) == 1
    assert str(meeting.uid) in receiver.received[0]["body"]


def test_a_meeting_narrowed_from_public_is_announced_to_those_who_saw_it(
    receiver, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, "read:public")
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)

    secretariat = secretariat_client()
    api_change(meeting, django_capture_on_commit_callbacks, secretariat, visibility="secretariat")
    api_change(meeting, django_capture_on_commit_callbacks, secretariat, city="Istanbul")

    assert len(receiver.received) == 1


def test_a_private_target_is_refused_unless_the_setting_allows_it(receiver, settings):
    endpoint, _ = endpoint_for(receiver)  # allowed while registering
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    with pytest.raises(ValidationError) as refused:
        endpoint_for(receiver)
    assert "private" in refused.value.message_dict["url"][0]
    for url in (
        "http://localhost/",
        "http://10.0.0.8/",
        "http://169.254.169.254/",
        "http://[::1]/",
    ):
        with pytest.raises(ValidationError):
            webhooks.webhook_target_addresses(url)

    # And at send time: an endpoint registered before is not called either.
    meeting = MeetingFactory()
    delivery = webhooks.webhook_deliveries_create(
        event_id="msg_1",
        event_type="meeting.updated",
        object_uid=meeting.uid,
        audience="public",
        dialogue_id=meeting.dialogue_id,
        payload={},
    )[0]
    assert receiver.received == []
    attempt = delivery.log.get()
    assert attempt.response_status is None and "private" in attempt.error


def test_during_a_rotation_both_secrets_sign(receiver, clock, django_capture_on_commit_callbacks):
    endpoint, old = endpoint_for(receiver)
    new = webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint)
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)

    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")

    request = receiver.received[0]
    assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(request["body"], request["headers"])
    assert Webhook(new).verify(request["body"], request["headers"])
    clock.advance(hours=25)
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets() == [new]


def test_a_receiver_down_for_an_hour_gets_everything_in_order_once_back(
    receiver, clock, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    receiver.stop()
    meeting, other = (
        MeetingFactory(record_status=Meeting.RecordStatus.DRAFT),
        MeetingFactory(record_status=Meeting.RecordStatus.DRAFT),
    )
    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")
    clock.advance(minutes=10)
    api_change(other, django_capture_on_commit_callbacks, city="Vienna")
    clock.advance(minutes=10)
    api_change(meeting, django_capture_on_commit_callbacks, city="Ankara")
    for _ in range(12):  # beat, every five minutes for an hour
        clock.advance(minutes=5)
        send_due_webhooks()
    assert WebhookDelivery.objects.filter(status="pending").count() == 3

    receiver.start()  # back, on the same port
    clock.advance(hours=3)
    send_due_webhooks()

    sent = {d.pk: d for d in WebhookDelivery.objects.order_by("pk")}
    assert all(d.status == WebhookDelivery.Status.DELIVERED for d in sent.values())
    first, second, third = sent.values()
    order = [r["headers"]["webhook-id"] for r in receiver.received]
    assert sorted(order) == sorted(d.event_id for d in sent.values())
    # The meeting's two events in the order they happened.
    assert order.index(first.event_id) < order.index(third.event_id)
    assert first.object_uid == third.object_uid == meeting.uid


def test_resend_sends_a_delivered_event_again(receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    api_change(meeting, django_capture_on_commit_callbacks, city="Istanbul")
    delivery = WebhookDelivery.objects.get()

    with committed(django_capture_on_commit_callbacks):
        webhooks.webhook_delivery_resend(delivery=delivery)

    assert len(receiver.received) == 2 and delivery.log.count() == 2


def test_create_webhook_prints_the_secret_alone_on_its_last_line(receiver, capsys):
    call_command(
        "create_webhook",
        "--name",
        "IOM data hub",
        "--url",
        receiver.url(),
        "--events",
        "meeting.updated,record.published",
        "--scopes",
        "read:public,read:participants",
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    endpoint = WebhookEndpoint.objects.get()
    assert last == endpoint.secret and last.startswith("whsec_")
    assert endpoint.event_types == ["meeting.updated", "record.published"]
    assert endpoint.subscribes_to("record.published")
    assert not endpoint.subscribes_to("meeting.created")


def test_each_service_announces_its_event(receiver, django_capture_on_commit_callbacks):
    from meetings import documents, services
    from projects.services import project_part_update

    _, secret = endpoint_for(receiver, "read:public")
    published = MeetingFactory()
    point, project = ActionPointFactory(meeting=published), ProjectFactory()
    steps = [
        lambda: services.meeting_create(
            dialogue=published.dialogue,
            kind=Meeting.Kind.SENIOR_OFFICIALS,
            start_date=datetime.date(2027, 5, 4),
            visibility="public",
        ),
        lambda: documents.document_publish(document=DocumentFactory(meeting=published), by=None),
        lambda: documents.document_unpublish(
            document=DocumentFactory(meeting=published, published_at=timezone.now()), by=None
        ),
        lambda: services.record_part_update(
            part=point,
            expected_version=point.version,
            changes={"status": "done"},
        ),
        lambda: services.meeting_set_record_status(
            meeting=published, status=Meeting.RecordStatus.REOPENED, by=None, reason="A typo."
        ),
        lambda: project_part_update(
            part=project,
            expected_version=project.version,
            changes={"title": "Silk Routes"},
        ),
        lambda: services.meeting_delete(meeting=MeetingFactory(record_status="draft")),
    ]
    for step in steps:
        with committed(django_capture_on_commit_callbacks):
            step()

    received = [Webhook(secret).verify(r["body"], r["headers"]) for r in receiver.received]
    assert [(event["type"], event["data"]["type"]) for event in received] == [
        ("meeting.created", "meeting"),
        ("document.published", "document"),
        ("document.withdrawn", "document"),
        ("action_point.updated", "action_point"),
        ("record.reopened", "meeting"),
        ("project.updated", "project"),
        ("meeting.deleted", "meeting"),
    ]
    assert received[3]["data"]["url"].endswith(f"/api/v1/action-points/{point.uid}/")


def test_a_receiver_trickling_its_answer_is_cut_off(receiver, monkeypatch):
    """However slowly it answers, an attempt does not hold a worker for longer than
    ATTEMPT_TIMEOUT (here one second)."""
    monkeypatch.setattr(webhooks, "ATTEMPT_TIMEOUT", 1)
    trickler = socket.socket()
    trickler.bind(("127.0.0.1", 0))
    trickler.listen()

    def trickle():
        connection, _ = trickler.accept()
        with connection, contextlib.suppress(OSError):
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            for _ in range(50):  # a header byte every 0.2 s: no read waits 10 s
                connection.sendall(b"X")
                time.sleep(0.2)

    threading.Thread(target=trickle, daemon=True).start()
    endpoint, _ = webhooks.webhook_endpoint_create(
        name="Slow",
        url=f"http://127.0.0.1:{trickler.getsockname()[1]}/",
        scopes=["read:public"],
    )
    meeting = MeetingFactory()
    started = time.monotonic()
    delivery = webhooks.webhook_deliveries_create(
        event_id="msg_1",
        event_type="meeting.updated",
        object_uid=meeting.uid,
        audience="public",
        dialogue_id=meeting.dialogue_id,
        payload={},
    )[0]
    assert time.monotonic() - started < 3
    attempt = delivery.log.get()
    assert attempt.response_status is None and "TimeoutError" in attempt.error
    trickler.close()


def test_finished_deliveries_leave_the_log_after_90_days(receiver, clock):
    endpoint_for(receiver)
    meeting = MeetingFactory()
    receiver.answers = [200, 500]
    delivered, retrying = (
        webhooks.webhook_deliveries_create(
            event_id=f"msg_{n}",
            event_type="meeting.updated",
            object_uid=meeting.uid if n else MeetingFactory().uid,
            audience="public",
            dialogue_id=meeting.dialogue_id,
            payload={},
        )[0]
        for n in range(2)
    )
    clock.advance(days=91)
    assert webhooks.webhook_log_prune() == 1
    assert not WebhookAttempt.objects.filter(delivery=delivered).exists()
    assert list(WebhookDelivery.objects.all()) == [retrying]
