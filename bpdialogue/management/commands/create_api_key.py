import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bpdialogue.api.services import api_key_create, api_key_expiry
from bpdialogue.models import ApiKey


class Command(BaseCommand):
    help = (
        "Create an API key for a partner. The key is printed once, alone on the last line; "
        "only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who holds the key.")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated, among: {', '.join(ApiKey.Scope.values)}.",
        )
        parser.add_argument("--expires", help="Last day the key works (YYYY-MM-DD).")
        parser.add_argument("--dialogue", help="Slug of the one dialogue the key may read.")

    def handle(self, *args, name, scopes, expires=None, dialogue=None, **options):
        expires_at = None
        if expires:
            try:
                day = datetime.date.fromisoformat(expires)
            except ValueError as error:
                raise CommandError(f"--expires: {error}; use YYYY-MM-DD.") from error
            expires_at = api_key_expiry(day)
        bound = None
        if dialogue:
            # By name: the core imports no domain app (the layers in pyproject.toml).
            Dialogue = apps.get_model("participants", "Dialogue")
            bound = Dialogue.objects.filter(slug=dialogue).first()
            if bound is None:
                raise CommandError(f"--dialogue: no dialogue with slug '{dialogue}'.")
        try:
            api_key, secret = api_key_create(
                name=name,
                scopes=[scope.strip() for scope in scopes.split(",") if scope.strip()],
                dialogue=bound,
                expires_at=expires_at,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Created API key '{api_key.name}' with scopes {', '.join(api_key.scopes)}"
            + (f", expiring {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "")
            + ". Store it now; it is not shown again:"
        )
        self.stdout.write(secret)
