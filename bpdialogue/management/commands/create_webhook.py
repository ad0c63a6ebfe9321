from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bpdialogue.models import ApiKey, WebhookEvent
from bpdialogue.webhooks import webhook_endpoint_create


def _listed(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class Command(BaseCommand):
    help = (
        "Register a partner's webhook endpoint. Its signing secret (whsec_…) is printed alone "
        "on the last line, for the partner's receiver."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who receives.")
        parser.add_argument("--url", required=True, help="Where events are POSTed.")
        parser.add_argument(
            "--events",
            help=f"Comma-separated, among: {', '.join(WebhookEvent.values)}. Default: all.",
        )
        parser.add_argument(
            "--scopes",
            default=ApiKey.Scope.READ_PUBLIC,
            help=f"The audience, as a key's scopes: {', '.join(ApiKey.Scope.values)} "
            "(default: read:public).",
        )
        parser.add_argument("--description", default="")
        parser.add_argument("--dialogue", help="Slug of the one dialogue it hears of.")

    def handle(self, *args, name, url, events, scopes, description, dialogue=None, **options):
        bound = None
        if dialogue:
            # By name: the core imports no domain app (the layers in pyproject.toml).
            Dialogue = apps.get_model("participants", "Dialogue")
            bound = Dialogue.objects.filter(slug=dialogue).first()
            if bound is None:
                raise CommandError(f"--dialogue: no dialogue with slug '{dialogue}'.")
        try:
            endpoint, secret = webhook_endpoint_create(
                name=name,
                url=url,
                scopes=_listed(scopes),
                event_types=_listed(events),
                description=description,
                dialogue=bound,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Registered webhook '{endpoint.name}' at {endpoint.url} for "
            f"{', '.join(endpoint.event_types) or 'every event'} (audience: "
            f"{', '.join(endpoint.scopes)}). Its signing secret:"
        )
        self.stdout.write(secret)
