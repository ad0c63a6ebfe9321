"""The one access policy. Pages, API endpoints and document downloads all ask it.

Who sees what:
- the secretariat (superusers and members of the `secretariat` group) sees everything;
- a delegate (a user linked through `Person` to a participant that is a member of a dialogue)
  also sees that dialogue's participants-level meetings and documents;
- everyone, anonymous included, sees public meetings;
- the record of a meeting (agenda records, statements, conclusions, action points) is seen
  outside the secretariat only once it is published; documents only once published;
- while a published record is reopened for correction, everyone but the secretariat reads its
  last published revision (`reads_published_revision`), never the rows being corrected;
- a generated Summary/conclusions leaves the secretariat only as the issued text of a
  published record (`issued_at`); drafts never do.

API keys carry scopes; `ApiKey.access_policy()` maps them onto the same object.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, replace
from functools import reduce

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.module_loading import import_string

SECRETARIAT_GROUP = "secretariat"
# Documents for the organisers alone, whatever visibility or publication they are given: the
# list of participants with contacts and the name badges (meetings' Document.Kind).
SECRETARIAT_DOCUMENT_KINDS = frozenset({"participants_contacts", "badges"})
# The audiences of meetings and documents (their visibilities), from the most viewers to the
# fewest: a public row is seen by participants and the secretariat as well.
WIDE_TO_NARROW = ("public", "participants", "secretariat")
# Rows that belong to a meeting's record, attendance included: seen outside the secretariat
# only once the record is published (as `AccessPolicy.records` has it).
RECORD_MODELS = {
    "meetings.statement",
    "meetings.conclusion",
    "meetings.actionpoint",
    "meetings.delegation",
    "meetings.registration",
}
# Rows whose audience can narrow while they stay, given a tombstone for the audience that lost
# them (bpdialogue/deletions.py): a meeting, what is seen through it, and documents.
NARROWING_MODELS = ("meetings.meeting", "meetings.agendaitem", "meetings.document", *RECORD_MODELS)


def _still_there() -> Q:
    """Tombstones whose row is still there: an audience lost it, nobody deleted it."""
    return reduce(
        operator.or_,
        (
            Q(model=label)
            & Q(Exists(apps.get_model(label)._base_manager.filter(uid=OuterRef("object_uid"))))
            for label in sorted(NARROWING_MODELS)
        ),
    )


@dataclass(frozen=True)
class AccessPolicy:
    is_secretariat: bool = False
    # Dialogues whose participants-level material this viewer may read.
    participant_dialogue_ids: frozenset[int] = field(default_factory=frozenset)
    # API keys with `read:participants` that are not bound to one dialogue read all of them.
    all_participant_dialogues: bool = False
    can_read_personal: bool = False
    can_write: bool = False
    # The signed-in user, for what belongs to them (the render jobs they asked for).
    user_id: int | None = None

    @classmethod
    def delegate_of(cls, dialogue_id: int) -> AccessPolicy:
        """What any delegate of the dialogue may see."""
        return cls(participant_dialogue_ids=frozenset([dialogue_id]))

    # -- querysets -------------------------------------------------------------------------
    def meeting_q(self, prefix: str = "") -> Q:
        if self.is_secretariat:
            return Q()
        public = Q(**{f"{prefix}visibility": "public"})
        if self.all_participant_dialogues:
            return public | Q(**{f"{prefix}visibility": "participants"})
        if self.participant_dialogue_ids:
            return public | Q(
                **{
                    f"{prefix}visibility": "participants",
                    f"{prefix}dialogue_id__in": self.participant_dialogue_ids,
                }
            )
        return public

    def record_q(self, prefix: str = "") -> Q:
        """Rows that belong to a meeting's record (statements, conclusions, ...)."""
        if self.is_secretariat:
            return Q()
        return self.meeting_q(prefix) & Q(**{f"{prefix}record_status": "published"})

    def meetings(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(self.meeting_q())

    def records(self, queryset: QuerySet, meeting_path: str) -> QuerySet:
        return queryset.filter(self.record_q(f"{meeting_path}__"))

    def documents(self, queryset: QuerySet) -> QuerySet:
        if self.is_secretariat:
            return queryset
        level = Q(visibility="public")
        if self.all_participant_dialogues:
            level |= Q(visibility="participants")
        elif self.participant_dialogue_ids:
            level |= Q(visibility="participants") & (
                Q(meeting__dialogue_id__in=self.participant_dialogue_ids)
                | Q(project__dialogue_id__in=self.participant_dialogue_ids)
            )
        return queryset.filter(
            level,
            Q(published_at__isnull=False),
            Q(meeting__isnull=True) | self.meeting_q("meeting__"),
            ~Q(kind="summary", generated=True) | Q(issued_at__isnull=False),
            ~Q(kind__in=SECRETARIAT_DOCUMENT_KINDS),
        )

    def registrations(self, queryset: QuerySet) -> QuerySet:
        """Nominations are personal data: whom a participant sends where. Keys that read
        personal data or nominate (`write`) see every one of the meetings they see; anyone
        else only the confirmed ones of published records, as the published list of
        participants names them."""
        if self.is_secretariat:
            return queryset
        if self.can_read_personal or self.can_write:
            return queryset.filter(self.meeting_q("meeting__"))
        return queryset.filter(self.record_q("meeting__"), status="confirmed")

    def people(self, queryset: QuerySet) -> QuerySet:
        """People as far as the viewer may know of them: all of them for the secretariat and
        `read:personal`; for anyone else only those who appear in a published list of
        participants (a confirmed registration of a meeting whose record the viewer reads)."""
        if self.is_secretariat or self.can_read_personal:
            return queryset
        listed = queryset.model.objects.filter(
            self.record_q("registrations__meeting__"), registrations__status="confirmed"
        )
        return queryset.filter(pk__in=listed.values("pk"))

    def _audiences_seen(self) -> list[tuple[str, frozenset[int] | None]]:
        """The audiences this viewer is among, each with the dialogues it is limited to
        (None: every dialogue). The secretariat is among all of them."""
        seen: list[tuple[str, frozenset[int] | None]] = [("public", None)]
        if self.all_participant_dialogues:
            seen.append(("participants", None))
        elif self.participant_dialogue_ids:
            seen.append(("participants", self.participant_dialogue_ids))
        if self.can_read_personal:
            seen.append(("personal", None))
        return seen

    def deletions(self, queryset: QuerySet) -> QuerySet:
        """Tombstones (`Deletion`) of what this viewer could see before it went. A row that is
        still there lost an audience (bpdialogue/deletions.py): it is gone only for those who
        lost it, never for the secretariat, and a public tombstone's row not for the
        participants of its dialogue (a meeting made participants-only)."""
        if self.is_secretariat:
            return queryset.exclude(_still_there())
        if self.all_participant_dialogues:
            queryset = queryset.exclude(Q(audience="public") & _still_there())
        elif self.participant_dialogue_ids:
            queryset = queryset.exclude(
                Q(audience="public", dialogue_id__in=self.participant_dialogue_ids) & _still_there()
            )
        return queryset.filter(
            reduce(
                operator.or_,
                (
                    Q(audience=audience)
                    if dialogue_ids is None
                    else Q(audience=audience, dialogue_id__in=dialogue_ids)
                    for audience, dialogue_ids in self._audiences_seen()
                ),
            )
        )

    def sees_audience(self, audience: str, dialogue_id: int | None) -> bool:
        """Is the viewer among `audience` (of a row of `dialogue_id`)? For one row what
        `deletions` is for many: a webhook's event about a row is sent only to those."""
        return self.is_secretariat or any(
            audience == seen and (dialogue_ids is None or dialogue_id in dialogue_ids)
            for seen, dialogue_ids in self._audiences_seen()
        )

    # -- who saw a row (the audience kept on a tombstone, matched by `deletions`) ----------
    @staticmethod
    def meeting_audience(meeting) -> str:
        return meeting.visibility

    @staticmethod
    def record_audience(meeting) -> str:
        """The audience of a row of the meeting's record: nobody beyond the secretariat
        until it is published."""
        return meeting.visibility if meeting.record_status == "published" else "secretariat"

    @staticmethod
    def document_audience(document) -> str:
        if document.published_at is None or document.kind in SECRETARIAT_DOCUMENT_KINDS:
            return "secretariat"
        if document.kind == "summary" and document.generated and document.issued_at is None:
            return "secretariat"
        if document.meeting_id:
            # Seen only by those who see the meeting too: the narrower of the two.
            return max(document.visibility, document.meeting.visibility, key=WIDE_TO_NARROW.index)
        return document.visibility

    # -- single objects --------------------------------------------------------------------
    def can_see_render_job(self, job) -> bool:
        """The secretariat follows every render; anyone else only the ones they asked for."""
        return self.is_secretariat or (
            self.user_id is not None and job.requested_by_id == self.user_id
        )

    def can_see_meeting(self, meeting) -> bool:
        if self.is_secretariat or meeting.visibility == "public":
            return True
        if meeting.visibility == "participants":
            return self.all_participant_dialogues or meeting.dialogue_id in (
                self.participant_dialogue_ids
            )
        return False

    def meeting_if_visible(self, meeting):
        """`meeting` if the viewer may know of it, else None: for links from one thing to a
        meeting (an action point carried out at, an activity realised by)."""
        return meeting if meeting is not None and self.can_see_meeting(meeting) else None

    def can_see_record(self, meeting) -> bool:
        """May the viewer read the record's rows as they are stored now?"""
        return self.is_secretariat or (
            self.can_see_meeting(meeting) and meeting.record_status == "published"
        )

    def reads_published_revision(self, meeting) -> bool:
        """Does the viewer read the record as last published, while it is being corrected?"""
        return (
            not self.is_secretariat
            and meeting.record_status == "reopened"
            and self.can_see_meeting(meeting)
        )

    def can_see_document(self, document) -> bool:
        if self.is_secretariat:
            return True
        if document.published_at is None or document.visibility == "secretariat":
            return False
        if document.kind in SECRETARIAT_DOCUMENT_KINDS:
            return False
        if document.kind == "summary" and document.generated and document.issued_at is None:
            return False
        if document.meeting_id and not self.can_see_meeting(document.meeting):
            return False
        if document.visibility == "public":
            return True
        dialogue_id = (document.meeting or document.project).dialogue_id
        return self.all_participant_dialogues or dialogue_id in self.participant_dialogue_ids


ANONYMOUS = AccessPolicy()
SECRETARIAT = AccessPolicy(
    is_secretariat=True,
    all_participant_dialogues=True,
    can_read_personal=True,
    can_write=True,
)


def secretariat_users() -> QuerySet:
    """The active members of the secretariat: superusers and the `secretariat` group."""
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=SECRETARIAT_GROUP), is_active=True)
        .distinct()
    )


def is_secretariat_user(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()


def _policy_for_user(user) -> AccessPolicy:
    if is_secretariat_user(user):
        return replace(SECRETARIAT, user_id=user.pk)
    # Who is a delegate of which dialogue is the participants app's to say (a setting, so
    # the core imports no domain app).
    delegate_dialogue_ids = import_string(settings.ACCESS_DELEGATE_DIALOGUES)
    return AccessPolicy(participant_dialogue_ids=delegate_dialogue_ids(user), user_id=user.pk)


def policy_for(viewer) -> AccessPolicy:
    """The policy for a user, an API key, or None (anonymous). Cached on the viewer."""
    if viewer is None:
        return ANONYMOUS
    if isinstance(viewer, AccessPolicy):
        return viewer
    if hasattr(viewer, "access_policy"):
        return viewer.access_policy()
    if not getattr(viewer, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(viewer, "_bp_access_policy", None)
    if cached is None:
        cached = _policy_for_user(viewer)
        viewer._bp_access_policy = cached
    return cached
