"""What meetings keep about a person, for the export and erasure of their data
(participants/personal_data.py asks through its signals; connected in apps.py)."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from participants.personal_data import person_data_requested, person_erasing

from .models import InvitationDelivery, Registration


@receiver(person_data_requested, dispatch_uid="meetings-registrations-export")
def registrations_export(sender, *, person, **kwargs) -> dict:
    registrations = Registration.objects.filter(person=person).select_related(
        "meeting", "participant"
    )
    return {
        "registrations": [
            {
                "meeting": registration.meeting.title,
                "meeting_date": registration.meeting.start_date.isoformat(),
                "participant": registration.participant.name,
                "role": registration.role,
                "position": registration.position,
                "status": registration.status,
                "note": registration.note,
            }
            for registration in registrations.order_by("meeting__start_date")
        ]
    }


@receiver(person_erasing, dispatch_uid="meetings-registrations-erase")
def registrations_erase(sender, *, person, **kwargs) -> None:
    """The position a list of participants gave the person may name them ("Minister of the
    Interior"), and a note may too; the registration itself stays, for the counts. The
    invitations' delivery log keeps the address each was sent to: blanked too."""
    InvitationDelivery.objects.filter(focal_point=person).update(email="")
    Registration.objects.filter(person=person).update(
        position="", note="", version=F("version") + 1, updated_at=timezone.now()
    )
    Registration.history.filter(person_id=person.pk).update(position="", note="")
