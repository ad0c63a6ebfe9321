"""The core's Celery tasks: webhook deliveries (bpdialogue/webhooks.py holds the rules)."""

from celery import shared_task

from . import webhooks


@shared_task(name="bpdialogue.tasks.deliver_webhook")
def deliver_webhook(delivery_id: int) -> None:
    webhooks.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(name="bpdialogue.tasks.send_due_webhooks")
def send_due_webhooks() -> None:
    webhooks.webhook_deliveries_send_due()


@shared_task(name="bpdialogue.tasks.prune_webhook_log")
def prune_webhook_log() -> None:
    webhooks.webhook_log_prune()
