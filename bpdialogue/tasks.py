"""The core's Celery tasks: webhook deliveries (bpdialogue/webhooks.py holds the rules)."""

from . import webhooks
from .celery import app


@app.task(name="bpdialogue.tasks.deliver_webhook")
def deliver_webhook(delivery_id: int) -> None:
    webhooks.webhook_delivery_attempt(delivery_id=delivery_id)


@app.task(name="bpdialogue.tasks.send_due_webhooks")
def send_due_webhooks() -> None:
    webhooks.webhook_deliveries_send_due()


@app.task(name="bpdialogue.tasks.prune_webhook_log")
def prune_webhook_log() -> None:
    webhooks.webhook_log_prune()
