import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bpdialogue.access import SECRETARIAT_GROUP
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    Registration,
    Statement,
    ThematicFocus,
    WorkingGroup,
)
from participants.models import (
    Dialogue,
    FocalPoint,
    Membership,
    Participant,
    ParticipantName,
    Person,
    Region,
)
from projects.models import Project, Site
from workplans.models import Activity, CooperationFramework, Workplan

# Codes whose first letter no demo state uses, so factory states never collide with the
# demo data (Afghanistan … Uzbekistan) loaded in the same test.
ISO_CODES = [f"{a}{b}" for a in "EFJLOQSVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def secretariat(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])

    @factory.post_generation
    def _store_password(self, create, extracted, **kwargs):
        # set_password above changes only the object; without this save the stored hash is
        # unusable, so neither a browser sign-in nor force_login's session would hold.
        if create:
            self.save(update_fields=["password"])


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    kind = Participant.Kind.STATE
    name = factory.Sequence(lambda n: f"State {n:03d}")
    sort_name = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"state-{n}")
    iso_code = factory.Sequence(lambda n: ISO_CODES[n % len(ISO_CODES)])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    kind = Participant.Kind.ORGANISATION
    name = factory.Sequence(lambda n: f"Organisation {n:03d}")
    sort_name = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    organisation_type = Participant.OrganisationType.INTERGOVERNMENTAL


class ParticipantNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantName

    participant = factory.SubFactory(StateFactory)
    name = factory.SelfAttribute("participant.name")
    sort_name = factory.SelfAttribute("name")


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    name = factory.Sequence(lambda n: f"Dialogue {n}")
    acronym = factory.Sequence(lambda n: f"D{n}")
    slug = factory.Sequence(lambda n: f"dialogue-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    dialogue = factory.SubFactory(DialogueFactory)
    participant = factory.SubFactory(StateFactory)
    status = Membership.Status.PARTICIPATING_STATE


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    dialogue = factory.SubFactory(DialogueFactory)
    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = "Amina"
    family_name = factory.Sequence(lambda n: f"Delegate{n}")
    position = "Head of Migration Policy Unit"
    affiliation = factory.SubFactory(StateFactory)
    email = factory.LazyAttribute(lambda p: f"{p.family_name.lower()}@example.org")


def delegate_user(dialogue, *, language="en", **kwargs):
    """A signed-up delegate: a user whose Person belongs to a member of `dialogue`, written to
    in `language`."""
    user = UserFactory(**kwargs)
    membership = MembershipFactory(dialogue=dialogue)
    PersonFactory(user=user, affiliation=membership.participant, language=language)
    return user


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    dialogue = factory.SubFactory(DialogueFactory)
    name = factory.Sequence(lambda n: f"Working Group {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    dialogue = factory.SubFactory(DialogueFactory)
    kind = Meeting.Kind.SENIOR_OFFICIALS
    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    start_date = datetime.date(2016, 12, 15)
    end_date = factory.SelfAttribute("start_date")
    city = "Antalya"
    status = Meeting.Status.HELD
    visibility = "public"
    record_status = Meeting.RecordStatus.PUBLISHED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    record = "The floor was opened for **discussion**."


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    agenda_item = factory.SubFactory(AgendaItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "The delegation underlined the importance of return and reintegration."

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if extracted:
            self.speakers.set(extracted)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    meeting = factory.SubFactory(MeetingFactory)
    participant = factory.SubFactory(StateFactory)
    headcount = 1


class ConclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conclusion

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "The participating states welcome the proposed framework."


class ActionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPoint

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Hold a consultation meeting."
    due_text = "early next year"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    meeting = factory.SubFactory(MeetingFactory)
    kind = Document.Kind.BACKGROUND_PAPER
    title = factory.Sequence(lambda n: f"Background paper {n}")
    file = factory.django.FileField(filename="paper.pdf", data=b"%PDF-1.4 test")
    visibility = "public"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    dialogue = factory.SubFactory(DialogueFactory)
    kind = Project.Kind.PROJECT
    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Migrant Resource Centre {n}")
    city = "Islamabad"
    country = factory.SubFactory(StateFactory)


class CooperationFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationFramework

    dialogue = factory.SubFactory(DialogueFactory)
    title = "Cooperation framework 2017-2021"
    first_year = 2017
    last_year = 2021


class ThematicFocusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicFocus

    dialogue = factory.SubFactory(DialogueFactory)
    year = factory.Sequence(lambda n: 2017 + n)
    title = "Return and reintegration"


class WorkplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplan

    dialogue = factory.SubFactory(DialogueFactory)
    year = factory.Sequence(lambda n: 2017 + n)
    title = factory.LazyAttribute(lambda w: f"Work plan {w.year}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    workplan = factory.SubFactory(WorkplanFactory)
    title = factory.Sequence(lambda n: f"Activity {n}")


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    dialogue = factory.SubFactory(DialogueFactory)
    participant = factory.SubFactory(StateFactory)
    person = factory.SubFactory(PersonFactory, affiliation=factory.SelfAttribute("..participant"))


def focal_point_user(dialogue, participant=None, **kwargs):
    """A signed-up focal point: a user whose Person is a current focal point of a member
    (`participant`, or a new one) of `dialogue`."""
    participant = participant or MembershipFactory(dialogue=dialogue).participant
    user = UserFactory(**kwargs)
    person = PersonFactory(user=user, affiliation=participant)
    FocalPointFactory(dialogue=dialogue, participant=participant, person=person)
    return user


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    participant = factory.SubFactory(StateFactory)
    person = factory.SubFactory(PersonFactory, affiliation=factory.SelfAttribute("..participant"))
    position = factory.SelfAttribute("person.position")
