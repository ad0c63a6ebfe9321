import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from bpdialogue import twofactor
from bpdialogue.access import SECRETARIAT_GROUP
from participants import services as participants
from participants.models import Dialogue, Participant, Person


class Command(BaseCommand):
    help = (
        "Create one demo user per role (secretariat, delegate). Passwords are random and "
        "printed once, when the user is created. For demonstration only."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        secretariat_group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
        created = []
        for username, role in (("secretariat", "secretariat"), ("delegate", "delegate")):
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Demo user '{username}' exists; its password is unchanged.")
                continue
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(
                username=username, password=password, email=f"{username}@demo.invalid"
            )
            if role == "secretariat":
                # The group is the whole of it: the workspace needs no is_staff, and the
                # admin is for superusers only.
                user.groups.add(secretariat_group)
            else:
                self._pakistans_focal_point(user)
            created.append((username, password, role))
        if created:
            self.stdout.write(
                self.style.WARNING("DEMO ONLY — do not use these accounts in production:")
            )
            for username, password, role in created:
                self.stdout.write(f"  {role:12} username: {username:12} password: {password}")
        # The demo's secretariat signs in with its printed password alone, and is told so in
        # the workspace; real secretariat accounts are asked for a second factor.
        twofactor.exempt(User.objects.get(username="secretariat"))
        self.stdout.write(
            "Demo user 'secretariat' is exempt from two-factor authentication "
            "(a demo account; other secretariat accounts are asked for a second factor)."
        )

    def _pakistans_focal_point(self, user):
        """The demo delegate is Pakistan's focal point for the Budapest Process (where the
        demo data is loaded), so it sees Pakistan's invitations and nominates its delegation."""
        pakistan = Participant.objects.filter(iso_code="PK").first()
        person = Person.objects.filter(user=user).first() or participants.person_create(
            given_name="Demo",
            family_name="Delegate",
            position="Focal point (demo account)",
            affiliation=pakistan,
            email="delegate@demo.invalid",
            user=user,
        )
        dialogue = Dialogue.objects.filter(slug="budapest-process").first()
        if pakistan and dialogue and not person.focal_points.filter(dialogue=dialogue).exists():
            participants.focal_point_add(person=person, dialogue=dialogue, participant=pakistan)
