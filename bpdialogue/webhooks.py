"""Webhooks after the Standard Webhooks specification (https://www.standardwebhooks.com/):
registering a partner's endpoint, and delivering the events `bpdialogue.events` emits.

A delivery is one event for one endpoint. It is POSTed with `webhook-id`, `webhook-timestamp`
and `webhook-signature` (v1: HMAC-SHA256 over `id.timestamp.body`, base64; during a secret's
rotation the old secret's signature too, space separated), by Celery once the change is
committed. A failed attempt is retried on the specification's schedule for about three days
(`RETRY_DELAYS`); a periodic job (`webhook_deliveries_send_due`) sends whatever is due, so a
receiver down for an hour gets everything once it is back. Events about the same object reach
an endpoint in the order they happened: a later one waits while an earlier one is pending.
An endpoint that answers 410 Gone is disabled.

Only an endpoint's own URL is ever called, redirects are not followed, and a host that
resolves to a private, loopback, link-local or reserved address is refused, at registration
and at every attempt, unless `WEBHOOKS_ALLOW_PRIVATE_TARGETS` allows it. The connection goes
to the address that was checked, so a name cannot resolve differently in between.

The workspace (secretariat/views/webhooks.py) and `manage.py create_webhook` call these."""

from __future__ import annotations

import contextlib
import datetime
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .task_queue import BrokerUnavailable, task_enqueue

logger = logging.getLogger(__name__)

_S = datetime.timedelta(seconds=1)
# Waits after the 1st, 2nd, ... failed attempt: Standard Webhooks' recommended schedule,
# its last step repeated until about three days have passed (13 attempts over 77.6 hours).
RETRY_DELAYS = (5 * _S, 300 * _S, 1800 * _S, 7200 * _S, 18000 * _S) + (36000 * _S,) * 7
# An attempt holds its delivery this long, so the periodic job does not send it twice
# meanwhile; longer than connecting and reading may take.
CLAIM_FOR = datetime.timedelta(seconds=60)
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 10
# However slowly a receiver trickles its answer, an attempt ends after this long: it must not
# hold a worker.
ATTEMPT_TIMEOUT = CONNECT_TIMEOUT + READ_TIMEOUT
EXCERPT_LENGTH = 500
# After a rotation the previous secret still signs for this long.
PREVIOUS_SECRET_KEPT = datetime.timedelta(hours=24)
USER_AGENT = "bpdialogue-webhooks/1"
# Finished deliveries stay in the log this long, then are forgotten with their attempts.
LOG_KEPT = datetime.timedelta(days=90)


# -- where events may go ---------------------------------------------------------------------


def _is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def webhook_target_addresses(url: str) -> list[str]:
    """The addresses `url`'s host resolves to, if events may be sent there; else
    ValidationError naming the url. Every address must be public (unless the setting allows
    private ones): a name that also resolves inside the network is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": "Give an http(s) URL with a host name."})
    if parts.username or parts.password:
        raise ValidationError({"url": "Leave credentials out of the URL; deliveries are signed."})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise ValidationError({"url": f"{parts.hostname} cannot be resolved ({error})."}) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        private = [address for address in addresses if not _is_public_address(address)]
        if private:
            raise ValidationError(
                {
                    "url": f"{parts.hostname} resolves to a private or reserved address "
                    f"({', '.join(private)}); events are sent to public addresses only."
                }
            )
    return addresses


# -- endpoints -------------------------------------------------------------------------------


@transaction.atomic
def webhook_endpoint_create(
    *,
    name: str,
    url: str,
    scopes: list[str],
    event_types: list[str] | None = None,
    description: str = "",
    dialogue=None,
    created_by=None,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret (`whsec_…`) to give the
    partner. Raises ValidationError naming the field."""
    endpoint = WebhookEndpoint(
        name=name,
        url=url,
        scopes=sorted(set(scopes)),
        event_types=sorted(set(event_types or [])),
        description=description,
        dialogue=dialogue,
        created_by=created_by,
        secret=WebhookEndpoint.new_secret(),
    )
    endpoint.full_clean()
    webhook_target_addresses(endpoint.url)
    endpoint.save()
    return endpoint, endpoint.secret


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, changes: dict) -> WebhookEndpoint:
    """Change an endpoint's name, URL, description, events or audience."""
    for name, value in changes.items():
        if name in ("scopes", "event_types"):
            value = sorted(set(value))
        setattr(endpoint, name, value)
    endpoint.full_clean()
    if "url" in changes:
        webhook_target_addresses(endpoint.url)
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new signing secret. The old one goes on signing beside it for
    `PREVIOUS_SECRET_KEPT`, so the receiver can switch without refusing a message."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + PREVIOUS_SECRET_KEPT
    endpoint.secret = WebhookEndpoint.new_secret()
    endpoint.save()
    return endpoint.secret


def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """Nothing is sent to a disabled endpoint; its pending deliveries wait."""
    endpoint.enabled = False
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["enabled", "disabled_reason", "updated_at"])


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> None:
    """Send again; what waited is sent by the next run of the periodic job."""
    endpoint.enabled = True
    endpoint.disabled_reason = ""
    endpoint.save(update_fields=["enabled", "disabled_reason", "updated_at"])


# -- deliveries ------------------------------------------------------------------------------


def webhook_deliveries_create(
    *, event_id: str, event_type: str, object_uid, audience: str, dialogue_id, payload: dict
) -> list[WebhookDelivery]:
    """One delivery of the event for each enabled endpoint subscribed to its type, handed to
    Celery. Whether the endpoint may hear of the object is decided when it is sent."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(enabled=True).only("id", "event_types")
        if endpoint.subscribes_to(event_type)
    ]
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event_id=event_id,
                event_type=event_type,
                object_uid=object_uid,
                audience=audience,
                dialogue_id=dialogue_id,
                payload=payload,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:
        _delivery_enqueue(delivery.pk)
    return deliveries


def _delivery_enqueue(delivery_id: int) -> None:
    try:
        task_enqueue("bpdialogue.tasks.deliver_webhook", args=[delivery_id])
    except BrokerUnavailable:
        # The delivery is due already: the periodic job sends it once the broker is back.
        logger.warning("webhook delivery %s not queued; the periodic job will send it", delivery_id)


def webhook_body(delivery: WebhookDelivery) -> str:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)


def webhook_headers(
    *, delivery: WebhookDelivery, body: str, at: datetime.datetime
) -> dict[str, str]:
    """The signed headers of one attempt: signed with every secret in force."""
    at = at.astimezone(datetime.UTC)
    signatures = [
        Webhook(secret).sign(delivery.event_id, at, body)
        for secret in delivery.endpoint.signing_secrets(at)
    ]
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to now."""

    def __init__(self, host, port, *, address: str):
        super().__init__(host, port, timeout=CONNECT_TIMEOUT)
        self._address = address

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        sock.settimeout(READ_TIMEOUT)
        return sock

    def connect(self):
        self.sock = self._open()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address: str):
        super().__init__(host, port, timeout=CONNECT_TIMEOUT, context=ssl.create_default_context())
        self._address = address

    _open = _PinnedHTTPConnection._open

    def connect(self):
        # The certificate is checked against the host name, as for any HTTPS request.
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def _post(url: str, address: str, body: str, headers: dict) -> tuple[int, str]:
    """POST once, no redirect followed (http.client follows none); the answer's status and
    the start of its body. TimeoutError if the whole answer took longer than
    ATTEMPT_TIMEOUT, whatever it began with."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address=address)
    cut = threading.Event()
    deadline = threading.Timer(ATTEMPT_TIMEOUT, _cut, args=[connection, cut])
    deadline.start()
    try:
        connection.request(
            "POST",
            (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            body=body.encode(),
            headers=headers,
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_LENGTH * 4).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        if not cut.is_set():
            raise
    finally:
        deadline.cancel()
        connection.close()
    if cut.is_set():
        raise TimeoutError(f"no whole answer within {ATTEMPT_TIMEOUT} s")
    return response.status, excerpt[:EXCERPT_LENGTH]


def _cut(connection: http.client.HTTPConnection, cut: threading.Event) -> None:
    # Shutting the socket down wakes the read blocked on it, which then ends or fails.
    cut.set()
    if connection.sock is not None:
        with contextlib.suppress(OSError):  # closed meanwhile
            connection.sock.shutdown(socket.SHUT_RDWR)


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send the delivery if it is due, pending and its endpoint enabled (else None: another
    attempt holds it, or it is done). Logs the attempt, then marks it delivered, schedules
    the next attempt, or gives up; a 410 disables the endpoint."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now,
        endpoint__enabled=True,
    ).update(next_attempt_at=now + CLAIM_FOR)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    earlier = (
        WebhookDelivery.objects.filter(
            endpoint=endpoint,
            object_uid=delivery.object_uid,
            status=WebhookDelivery.Status.PENDING,
            pk__lt=delivery.pk,
        )
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        # In order per object: this one goes once the earlier is delivered or given up
        # (`_finish` sends it then), or with the earlier's next attempt at the latest.
        delivery.next_attempt_at = earlier.next_attempt_at
        delivery.save(update_fields=["next_attempt_at"])
        return delivery
    if not endpoint.access_policy().sees_audience(delivery.audience, delivery.dialogue_id):
        return _finish(delivery, WebhookDelivery.Status.WITHHELD, now)
    attempt = WebhookAttempt(delivery=delivery, attempted_at=now)
    try:
        addresses = webhook_target_addresses(endpoint.url)
        body = webhook_body(delivery)
        attempt.response_status, attempt.response_excerpt = _post(
            endpoint.url,
            addresses[0],
            body,
            webhook_headers(delivery=delivery, body=body, at=now),
        )
    except ValidationError as error:
        attempt.error = f"Not sent: {' '.join(error.messages)}"[:300]
    except (OSError, http.client.HTTPException) as error:
        attempt.error = f"{type(error).__name__}: {error}"[:300]
    attempt.save()
    delivery.attempts += 1
    status = attempt.response_status
    if status is not None and 200 <= status < 300:
        return _finish(delivery, WebhookDelivery.Status.DELIVERED, now)
    if status == 410:
        webhook_endpoint_disable(
            endpoint=endpoint,
            reason=f"It answered 410 Gone on {timezone.localtime(now):%d %b %Y %H:%M}.",
        )
        return _finish(delivery, WebhookDelivery.Status.FAILED, now)
    if delivery.attempts > len(RETRY_DELAYS):
        return _finish(delivery, WebhookDelivery.Status.FAILED, now)
    delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def _finish(delivery: WebhookDelivery, status: str, now) -> WebhookDelivery:
    delivery.status = status
    delivery.finished_at = now
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "attempts", "finished_at", "next_attempt_at"])
    waiting = (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            object_uid=delivery.object_uid,
            status=WebhookDelivery.Status.PENDING,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if waiting is not None:
        WebhookDelivery.objects.filter(pk=waiting).update(next_attempt_at=now)
        _delivery_enqueue(waiting)
    return delivery


def webhook_deliveries_send_due() -> int:
    """Hand every due delivery to Celery, oldest first (the periodic job): retries whose wait
    is over, and what was not queued or sent while a receiver, the broker or a worker was
    down. Returns how many."""
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=timezone.now(),
            endpoint__enabled=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for delivery_id in due:
        _delivery_enqueue(delivery_id)
    return len(due)


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Send the delivery again, whatever became of it, with a fresh schedule of retries
    (the workspace's "resend")."""
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.finished_at = None
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "finished_at", "next_attempt_at"])
    transaction.on_commit(lambda: _delivery_enqueue(delivery.pk))


def webhook_log_prune() -> int:
    """Forget the deliveries finished more than `LOG_KEPT` ago (the daily job); returns how
    many. Pending ones stay, however old."""
    _, deleted = WebhookDelivery.objects.filter(finished_at__lt=timezone.now() - LOG_KEPT).delete()
    return deleted.get(WebhookDelivery._meta.label, 0)
