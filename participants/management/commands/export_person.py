import json
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from participants.models import Person
from participants.personal_data import person_data_export


class Command(BaseCommand):
    help = "Print all that is kept about a person, as JSON (a request for their data)."

    def add_arguments(self, parser):
        parser.add_argument("uid", help="The person's public id.")

    def handle(self, *args, uid, **options):
        try:
            person = Person.objects.select_related("affiliation", "user").get(uid=uuid.UUID(uid))
        except (ValueError, Person.DoesNotExist) as error:
            raise CommandError(f"No person has the id {uid}.") from error
        self.stdout.write(
            json.dumps(person_data_export(person=person), cls=DjangoJSONEncoder, indent=2)
        )
