"""Fill the database with a scaled, deterministic dataset for the benchmarks.

    .venv/bin/python bench/generate_dataset.py                # ~10 000 meetings (scale 1)
    .venv/bin/python bench/generate_dataset.py --scale 0.2    # a fifth of that

At scale 1: 10 000 meetings over DIALOGUES dialogues × YEARS years, 50 000 agenda items,
200 000 statements (each with a speaker), 250 000 delegations, 30 000 conclusions, 10 000
action points, 500 projects with 1 000 sites, 250 workplans with 2 500 activities. The demo
(the Budapest Process and its 24th Senior Officials Meeting) is loaded first, so the same
pages and API calls can be measured at any size. The same seed gives the same rows, public
ids included. Rows are bulk-inserted in batches (no change-history rows are written for them).
Run it on an empty (migrated) database: it refuses to add a second copy.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from tqdm import tqdm  # noqa: E402

from demo.loader import load_demo  # noqa: E402
from meetings.models import (  # noqa: E402
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Meeting,
    Statement,
    ThematicFocus,
    WorkingGroup,
)
from participants.models import Dialogue, Membership, Participant  # noqa: E402
from projects.models import Project, Site  # noqa: E402
from workplans.models import Activity, Workplan  # noqa: E402

DIALOGUES = 10
FIRST_YEAR, YEARS = 2000, 25
MEETINGS = 10_000
AGENDA_ITEMS_PER_MEETING = 5
STATEMENTS_PER_MEETING = 20
DELEGATIONS_PER_MEETING = 25
CONCLUSIONS_PER_MEETING = 3
PROJECTS_PER_DIALOGUE = 50
ACTIVITIES_PER_WORKPLAN = 10
STATES, ORGANISATIONS = 150, 30
BATCH = 5_000
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

TOPICS = [
    "return and reintegration",
    "labour migration",
    "migrant smuggling",
    "trafficking in human beings",
    "border management",
    "integrated migration management",
    "diaspora engagement",
    "international protection",
    "legal migration pathways",
    "migration and development",
]
VERBS = ["underlined", "welcomed", "recalled", "presented", "proposed", "stressed", "noted"]
CITIES = ["Istanbul", "Budapest", "Vienna", "Islamabad", "Baku", "Tbilisi", "Ankara", "Sofia"]
KINDS = [
    (Meeting.Kind.SENIOR_OFFICIALS, 1),
    (Meeting.Kind.WORKING_GROUP, 5),
    (Meeting.Kind.THEMATIC, 2),
    (Meeting.Kind.CONSULTATION, 1),
    (Meeting.Kind.TRAINING, 1),
]
VISIBILITIES = ["public"] * 14 + ["participants"] * 5 + ["secretariat"]


class Generator:
    def __init__(self, *, scale: float, seed: int, progress: tqdm):
        self.rng = random.Random(seed)
        self.scale = scale
        self.progress = progress

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def save(self, model, rows: list) -> list:
        """Insert in batches, each in its own transaction, advancing the progress bar."""
        created = []
        for start in range(0, len(rows), BATCH):
            with transaction.atomic():
                created += model.objects.bulk_create(rows[start : start + BATCH])
            self.progress.update(len(rows[start : start + BATCH]))
        return created

    def sentence(self, subject: str) -> str:
        topic, other = self.rng.sample(TOPICS, 2)
        return (
            f"{subject} {self.rng.choice(VERBS)} the importance of {topic} and its links with "
            f"{other}, and reported on national measures taken since the previous meeting."
        )

    def run(self) -> dict[str, int]:
        rng = self.rng
        taken = set(Participant.objects.exclude(iso_code=None).values_list("iso_code", flat=True))
        codes = [f"{a}{b}" for a in UPPER for b in UPPER if f"{a}{b}" not in taken][:STATES]
        states = self.save(
            Participant,
            [
                Participant(
                    uid=self.uid(),
                    kind=Participant.Kind.STATE,
                    name=f"Bench State {n:03d}",
                    sort_name=f"Bench State {n:03d}",
                    slug=f"bench-state-{n}",
                    iso_code=code,
                )
                for n, code in enumerate(codes)
            ],
        )
        organisations = self.save(
            Participant,
            [
                Participant(
                    uid=self.uid(),
                    kind=Participant.Kind.ORGANISATION,
                    name=f"Bench Organisation {n:02d}",
                    sort_name=f"Bench Organisation {n:02d}",
                    slug=f"bench-organisation-{n}",
                    acronym=f"BO{n}",
                    organisation_type=Participant.OrganisationType.INTERGOVERNMENTAL,
                )
                for n in range(ORGANISATIONS)
            ],
        )
        participants = states + organisations
        dialogues = self.save(
            Dialogue,
            [
                Dialogue(uid=self.uid(), name=f"Bench Dialogue {n:02d}", slug=f"bench-{n:02d}")
                for n in range(DIALOGUES)
            ],
        )
        self.save(
            Membership,
            [
                Membership(
                    uid=self.uid(),
                    dialogue=dialogue,
                    participant=participant,
                    status=Membership.Status.PARTICIPATING_STATE
                    if participant.kind == Participant.Kind.STATE
                    else Membership.Status.PARTNER_ORGANISATION,
                )
                for dialogue in dialogues
                for participant in participants
            ],
        )
        groups = self.save(
            WorkingGroup,
            [
                WorkingGroup(uid=self.uid(), dialogue=d, name=f"{topic.capitalize()} Working Group")
                for d in dialogues
                for topic in TOPICS[:3]
            ],
        )
        groups_of = {d.pk: [g for g in groups if g.dialogue_id == d.pk] for d in dialogues}

        meetings, sequence = [], {}
        kinds = [kind for kind, weight in KINDS for _ in range(weight)]
        total = round(MEETINGS * self.scale)
        for n in range(total):
            dialogue = dialogues[n % DIALOGUES]
            year = FIRST_YEAR + (n // DIALOGUES) * YEARS // max(total // DIALOGUES, 1)
            start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(360))
            kind = rng.choice(kinds)
            group = (
                rng.choice(groups_of[dialogue.pk]) if kind == Meeting.Kind.WORKING_GROUP else None
            )
            number = None
            if kind in (Meeting.Kind.SENIOR_OFFICIALS, Meeting.Kind.WORKING_GROUP):
                key = (dialogue.pk, kind, group.pk if group else None)
                number = sequence[key] = sequence.get(key, 0) + 1
            topic = rng.choice(TOPICS)
            meetings.append(
                Meeting(
                    uid=self.uid(),
                    dialogue=dialogue,
                    kind=kind,
                    working_group=group,
                    sequence_number=number,
                    title=f"{Meeting.Kind(kind).label} on {topic} ({dialogue.name}, {n})",
                    slug=f"bench-meeting-{n}",
                    topic=topic.capitalize(),
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.randrange(3)),
                    city=rng.choice(CITIES),
                    host_country=rng.choice(states),
                    chair=rng.choice(states),
                    status=Meeting.Status.HELD,
                    visibility=rng.choice(VISIBILITIES),
                    record_status=Meeting.RecordStatus.PUBLISHED
                    if rng.random() < 0.8
                    else Meeting.RecordStatus.DRAFT,
                )
            )
        meetings = self.save(Meeting, meetings)

        items = self.save(
            AgendaItem,
            [
                AgendaItem(
                    uid=self.uid(),
                    meeting=meeting,
                    position=p,
                    title=f"Session {p}: {rng.choice(TOPICS)}",
                    record=self.sentence("The Chair"),
                )
                for meeting in meetings
                for p in range(1, AGENDA_ITEMS_PER_MEETING + 1)
            ],
        )
        per_item = STATEMENTS_PER_MEETING // AGENDA_ITEMS_PER_MEETING
        statement_speakers, statements = [], []
        for item in items:
            for p in range(1, per_item + 1):
                speaker = rng.choice(participants)
                statements.append(
                    Statement(
                        uid=self.uid(),
                        agenda_item=item,
                        position=p,
                        text=self.sentence(speaker.name),
                    )
                )
                statement_speakers.append(speaker)
        statements = self.save(Statement, statements)
        self.save(
            Statement.speakers.through,
            [
                Statement.speakers.through(statement_id=s.pk, participant_id=speaker.pk)
                for s, speaker in zip(statements, statement_speakers, strict=True)
            ],
        )
        self.save(
            Delegation,
            [
                Delegation(
                    uid=self.uid(),
                    meeting=meeting,
                    participant=participant,
                    headcount=rng.randint(1, 4),
                )
                for meeting in meetings
                for participant in rng.sample(participants, DELEGATIONS_PER_MEETING)
            ],
        )
        self.save(
            Conclusion,
            [
                Conclusion(
                    uid=self.uid(), meeting=m, position=p, text=self.sentence("Participants")
                )
                for m in meetings
                for p in range(1, CONCLUSIONS_PER_MEETING + 1)
            ],
        )
        self.save(
            ActionPoint,
            [
                ActionPoint(
                    uid=self.uid(),
                    meeting=m,
                    position=1,
                    text=f"Prepare a paper on {rng.choice(TOPICS)}.",
                    due_date=m.start_date + datetime.timedelta(days=90),
                    status=rng.choice(list(ActionPoint.Status.values)),
                )
                for m in meetings
            ],
        )

        projects = self.save(
            Project,
            [
                Project(
                    uid=self.uid(),
                    dialogue=d,
                    kind=Project.Kind.PROJECT,
                    title=f"{rng.choice(TOPICS).capitalize()} project {d.slug}-{n}",
                    slug=f"bench-project-{d.slug}-{n}",
                    status=Project.Status.ONGOING,
                    budget_amount=Decimal(rng.randrange(100_000, 5_000_000)),
                    budget_currency="EUR",
                    description=self.sentence("The project"),
                )
                for d in dialogues
                for n in range(round(PROJECTS_PER_DIALOGUE * self.scale) or 1)
            ],
        )
        self.save(
            Site,
            [
                Site(
                    uid=self.uid(),
                    project=project,
                    name=f"Migrant Resource Centre {n}",
                    city=rng.choice(CITIES),
                    country=rng.choice(states),
                )
                for project in projects
                for n in (1, 2)
            ],
        )
        focuses = self.save(
            ThematicFocus,
            [
                ThematicFocus(uid=self.uid(), dialogue=d, year=FIRST_YEAR + y, title=TOPICS[y % 10])
                for d in dialogues
                for y in range(YEARS)
            ],
        )
        workplans = self.save(
            Workplan,
            [
                Workplan(
                    uid=self.uid(),
                    dialogue=focus.dialogue,
                    year=focus.year,
                    title=f"Workplan {focus.year}",
                    thematic_focus=focus,
                    status=Workplan.Status.ADOPTED,
                )
                for focus in focuses
            ],
        )
        self.save(
            Activity,
            [
                Activity(
                    uid=self.uid(),
                    workplan=w,
                    position=p,
                    title=f"Activity on {rng.choice(TOPICS)}",
                    project=rng.choice(projects),
                )
                for w in workplans
                for p in range(1, ACTIVITIES_PER_WORKPLAN + 1)
            ],
        )
        return {
            "meetings": Meeting.objects.count(),
            "agenda items": AgendaItem.objects.count(),
            "statements": Statement.objects.count(),
            "delegations": Delegation.objects.count(),
            "conclusions": Conclusion.objects.count(),
            "action points": ActionPoint.objects.count(),
            "projects": Project.objects.count(),
            "workplans": Workplan.objects.count(),
            "activities": Activity.objects.count(),
        }


def expected_rows(scale: float) -> int:
    meetings = round(MEETINGS * scale)
    per_meeting = (
        1
        + AGENDA_ITEMS_PER_MEETING
        + 2 * STATEMENTS_PER_MEETING
        + DELEGATIONS_PER_MEETING
        + CONCLUSIONS_PER_MEETING
        + 1
    )
    projects = DIALOGUES * (round(PROJECTS_PER_DIALOGUE * scale) or 1)
    fixed = STATES + ORGANISATIONS + DIALOGUES * (1 + STATES + ORGANISATIONS + 3 + 2 * YEARS)
    return (
        meetings * per_meeting + 3 * projects + fixed + DIALOGUES * YEARS * ACTIVITIES_PER_WORKPLAN
    )


def main(argv: list[str] | None = None) -> dict[str, int]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = about 10 000 meetings")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args(argv)
    if Dialogue.objects.filter(slug="bench-00").exists():
        parser.exit(1, "The benchmark dataset is already in this database; use a fresh one.\n")
    load_demo()
    with tqdm(total=expected_rows(args.scale), unit="rows", desc="Generating") as progress:
        counts = Generator(scale=args.scale, seed=args.seed, progress=progress).run()
    for label, count in counts.items():
        print(f"{label:16} {count:>9,}")
    return counts


if __name__ == "__main__":
    main()
