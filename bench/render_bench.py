"""How long the meeting's documents take to render, and where the time goes.

    .venv/bin/python bench/render_bench.py [--repeat 7]

Uses the configured database (after `make run` it holds the demo data; `manage.py load_demo`
otherwise). Renders the 24th Senior Officials Meeting's Summary/conclusions (plain and PDF/A)
and a synthetic meeting of 60 agenda items and 300 statements, created inside a transaction
that is rolled back, so nothing is left behind. For each it reports seconds per document and
per page, split into our code (queries and the HTML template: `document_source`) and WeasyPrint
(`html_to_pdf`: layout and PDF writing), and our time as a share of WeasyPrint's (#13 asks at
most 10 %). Medians of --repeat runs (seven: one render of the 24th meeting's text takes some
20 ms, which a busy virtual machine moves by a quarter from run to run) after warm-up runs:
the first loads Pango and the fonts, and the rest until the record's queries are prepared on
their connection, as in a worker that has rendered a few documents. The garbage of each run
is collected between runs, untimed: WeasyPrint leaves its layout (Pango objects, in cycles) to
the collector, and a full collection that frees it inside the next run's source took
100-200 ms there. With SECRET_KEY set (bench/run_benchmarks.py sets it) the settings are production's, as in
a Celery worker; without it, DEBUG's development defaults.
"""

import argparse
import gc
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpdialogue.settings")
if "SECRET_KEY" not in os.environ:
    os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402
from pypdf import PdfReader  # noqa: E402 (a development dependency, like the benchmark)

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from meetings.models import (  # noqa: E402
    AgendaItem,
    Conclusion,
    Delegation,
    Document,
    Meeting,
    Statement,
)
from meetings.rendering import document_source, html_to_pdf  # noqa: E402
from participants.models import Participant  # noqa: E402


def synthetic_meeting(template: Meeting) -> Meeting:
    meeting = Meeting.objects.create(
        dialogue=template.dialogue,
        kind=Meeting.Kind.OTHER,
        title="Synthetic meeting for the render benchmark",
        slug="render-bench-synthetic-meeting",
        start_date=template.start_date,
        end_date=template.end_date,
        city="Vienna",
    )
    participants = list(Participant.objects.all()[:30])
    Delegation.objects.bulk_create(
        Delegation(meeting=meeting, participant=p, headcount=2) for p in participants
    )
    record = (
        "Following the presentation, the floor was opened for **discussion**. The participants "
        "underlined the importance of return and reintegration, of legal pathways and of "
        "cooperation along the Silk Routes.\n\n- capacity building;\n- data exchange;\n"
        "- information campaigns."
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=f"Agenda item {n}", record=record)
        for n in range(1, 61)
    )
    statement = (
        "The delegation welcomed the proposed framework, highlighted its national efforts in the "
        "field of migration management and expressed its readiness to host a working group "
        "meeting next year."
    )
    Statement.objects.bulk_create(
        Statement(agenda_item=item, position=n, text=statement)
        for item in items
        for n in range(1, 6)
    )
    statements = Statement.objects.filter(agenda_item__meeting=meeting)
    for said, speaker in zip(statements, participants * 10, strict=False):
        said.speakers.add(speaker)
    Conclusion.objects.bulk_create(
        Conclusion(meeting=meeting, position=n, text=statement) for n in range(1, 11)
    )
    return meeting


def measure(meeting: Meeting, kind: str, *, archival: bool, repeat: int) -> dict:
    runs = []
    # Warm-up renders: the first loads Pango and the fonts, and a query is prepared on its
    # connection once it has run `prepare_threshold` times, as in a worker that has rendered
    # a few documents (bpdialogue/settings.py).
    warmup = 1 + settings.DATABASES["default"].get("OPTIONS", {}).get("prepare_threshold", 0)
    for _ in range(repeat + warmup):
        # The previous render's garbage (WeasyPrint's layout holds Pango objects in cycles)
        # is collected between runs, untimed, so neither side pays for the other's.
        gc.collect()
        start = time.perf_counter()
        source = document_source(meeting=meeting, kind=kind)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        pdf = html_to_pdf(source.html, archival=archival)
        weasy = time.perf_counter() - start
        runs.append((ours, weasy))
    runs = runs[warmup:]
    ours = statistics.median(r[0] for r in runs)
    weasy = statistics.median(r[1] for r in runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    total = ours + weasy
    return {
        "total": total,
        "pages": pages,
        "per_page": total / pages,
        "ours": ours,
        "weasy": weasy,
        "weasy_share": weasy / total,
        "overhead": ours / weasy,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    try:
        # The dialogue named: a scaled dataset (bench/generate_dataset.py) holds a 24th Senior
        # Officials Meeting in each of its dialogues.
        som24 = Meeting.objects.get(
            kind=Meeting.Kind.SENIOR_OFFICIALS,
            sequence_number=24,
            dialogue__slug="budapest-process",
        )
    except Meeting.DoesNotExist:
        sys.exit("No 24th Senior Officials Meeting: run `manage.py load_demo` first.")
    rows = []
    with transaction.atomic():
        synthetic = synthetic_meeting(som24)
        cases = [
            ("24th SOM summary", som24, False),
            ("24th SOM summary, PDF/A", som24, True),
            ("synthetic summary (60 items, 300 statements)", synthetic, False),
            ("synthetic summary, PDF/A", synthetic, True),
        ]
        for label, meeting, archival in cases:
            rows.append(
                (
                    label,
                    measure(meeting, Document.Kind.SUMMARY, archival=archival, repeat=args.repeat),
                )
            )
        transaction.set_rollback(True)
    print(
        f"{'document':48} {'s/doc':>7} {'pages':>5} {'s/page':>7} {'ours s':>7} {'WeasyPrint':>10}"
        f" {'ours/WeasyPrint':>15}"
    )
    for label, r in rows:
        print(
            f"{label:48} {r['total']:7.2f} {r['pages']:5d} {r['per_page']:7.3f} "
            f"{r['ours']:7.3f} {r['weasy_share']:9.0%} {r['overhead']:15.1%}"
        )


if __name__ == "__main__":
    main()
