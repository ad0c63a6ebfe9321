"""The meeting's official documents as HTML for print, and that HTML as PDF.

`document_source` gathers what a document shows (a fixed number of queries whatever the
meeting's size) and renders the template under templates/pdf/; the SHA-256 of that HTML is
the document's `source_hash`, so the same content is recognised without rendering a PDF.
`html_to_pdf` is the only place WeasyPrint is called. The services in meetings/documents.py
decide what to store.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bpdialogue.access import SECRETARIAT
from bpdialogue.grammar import base_language, join_in_language, text_in_language
from bpdialogue.text import render_record
from bpdialogue.translations import authoritative_language
from participants.letterheads import logo_data_url
from participants.models import Participant, dated_names, representative_of

from .models import AgendaItem, Delegation, Document, Meeting, Registration
from .selectors import meeting_record, record_for_viewer

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
# The documents the system writes from the record, each from its template; other kinds are
# uploaded. The one list of them: the workspace's choices and the render jobs read it here.
TEMPLATES = {
    Document.Kind.SUMMARY: "pdf/summary.html",
    Document.Kind.AGENDA: "pdf/agenda.html",
    Document.Kind.PARTICIPANTS: "pdf/participants.html",
    Document.Kind.PARTICIPANTS_CONTACTS: "pdf/participants.html",
    Document.Kind.BADGES: "pdf/badges.html",
}
# Name badges per A4 sheet: two columns of four.
BADGES_PER_SHEET = 8
GENERATED_KINDS = tuple(TEMPLATES)
# WeasyPrint's name for the archival variant: PDF/A-3b keeps the text extractable and embeds
# every font, which is what an archive needs to read the file in thirty years.
ARCHIVAL_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class IssueMark:
    """What an issued Summary/conclusions says of itself: its revision and issue date."""

    number: int
    date: datetime.date


@dataclass(frozen=True)
class DocumentSource:
    kind: str
    title: str
    html: str
    source_hash: str


def date_range(start: datetime.date, end: datetime.date) -> str:
    """The dates in the active language's long form (DATE_FORMAT): '15 December 2016',
    '12–13 October 2016', '30 November – 1 December 2016'; in Russian '15 декабря 2016 г.',
    '15–16 декабря 2016 г.', '30 ноября – 1 декабря 2016 г.'. The first date of a range
    names its month with "E", the form a date uses (the genitive in Russian, the month's name
    in English)."""
    if start == end:
        return date_format(start, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        return f"{date_format(start, 'j E')} – {date_format(end, 'DATE_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


def place_and_date(meeting: Meeting) -> str:
    """'Antalya, 15 December 2016'; a meeting over several days '12–13 October 2016'."""
    dates = date_range(meeting.start_date, meeting.end_date)
    return f"{meeting.city}, {dates}" if meeting.city else dates


def _delegations(meeting: Meeting, *, contacts: bool = False) -> list[dict]:
    """Delegations by participant (states, then organisations, by the sort name in force on the
    meeting's date), each with its confirmed registrations: the head of delegation first, then
    the others by family name, with honorific and position (the registration's, else the
    person's). A participant without people on file is listed with its headcount. E-mail and
    phone only in the organisers' copy (`contacts`). Three queries, whatever the size."""
    names = dated_names("participant__")
    registered: dict[int, list[Registration]] = {}
    for registration in Registration.objects.filter(
        meeting=meeting, status=Registration.Status.CONFIRMED
    ).select_related("person"):
        registered.setdefault(registration.participant_id, []).append(registration)
    rows = []
    # Confirming a participant's first registration creates its delegation, so every
    # confirmed registration has a delegation to be listed under.
    for delegation in (
        Delegation.objects.filter(meeting=meeting)
        .select_related("participant")
        .prefetch_related(names)
    ):
        name = delegation.participant.name_on(meeting.start_date)
        people = sorted(registered.get(delegation.participant_id, ()), key=_in_delegation_order)
        rows.append(
            {
                "is_state": delegation.participant.kind == Participant.Kind.STATE,
                "sort_key": name.sort_name.casefold(),
                "name": name.name,
                "role": delegation.get_role_display(),
                # Participants are the rule: the list names only the other roles.
                "role_is_participant": delegation.role == Delegation.Role.PARTICIPANT,
                "headcount": delegation.headcount,
                "headcount_is_illustrative": delegation.headcount_is_illustrative,
                "people": [_listed_person(r, name.name, contacts=contacts) for r in people],
            }
        )
    rows.sort(key=lambda row: (not row["is_state"], row["sort_key"]))
    return rows


def _in_delegation_order(registration: Registration) -> tuple:
    person = registration.person
    return (
        registration.role != Registration.Role.HEAD,
        person.erased_at is not None,
        person.family_name.casefold(),
        person.given_name.casefold(),
    )


def _listed_person(registration: Registration, participant_name: str, *, contacts: bool) -> dict:
    """One line of the list. An erased person is "A representative of Germany": the list
    still counts them, and names nobody."""
    person = registration.person
    erased = person.erased_at is not None
    return {
        "name": representative_of(participant_name) if erased else person.full_name,
        "badge_name": " ".join(p for p in (person.given_name, person.family_name) if p),
        "erased": erased,
        "position": "" if erased else registration.position or person.position,
        "is_head": registration.role == Registration.Role.HEAD,
        "role": registration.get_role_display(),
        "email": person.email if contacts else "",
        "phone": person.phone if contacts else "",
    }


def _badge_sheets(delegations: list[dict]) -> list[list[dict]]:
    """The badges in the list's order, `BADGES_PER_SHEET` to an A4 sheet. Nobody erased gets
    one: there is no name to print."""
    badges = [
        {"name": person["badge_name"], "participant": row["name"], "role": person["role"]}
        for row in delegations
        for person in row["people"]
        if not person["erased"]
    ]
    return [badges[i : i + BADGES_PER_SHEET] for i in range(0, len(badges), BADGES_PER_SHEET)]


def _summary_paragraph(entry) -> dict:
    """One numbered paragraph: the item's record, then its statements, either as sub-points
    i., ii., iii. or (layout "running") continuing the record's last paragraph, as the opening
    statements of the 24th meeting read. The reference numbers no deeper than that, so each
    sub-item is the parent's next sub-point, its own statements under it marked "–" as the
    reference marks a list inside a paragraph."""
    item = entry.item
    texts = [statement.text.strip() for statement in entry.statements]
    running = item.statement_layout == AgendaItem.StatementLayout.RUNNING
    if running:
        record_html = render_record(" ".join([item.record.strip(), *texts]).strip())
    else:
        record_html = render_record(item.record)
    return {
        "record_html": record_html,
        "points": [] if running else [render_record(text) for text in texts],
        "sub_items": [
            paragraph
            for paragraph in (_summary_paragraph(sub) for sub in entry.sub_items)
            if paragraph["record_html"] or paragraph["points"]
        ],
    }


# The action-points table's columns: heading, and the attribute `_context` gives each point.
ACTION_POINT_COLUMNS = (
    (_("Action"), "text"),
    (_("Responsible"), "responsible_text"),
    (_("Due"), "due"),
    (_("Place"), "place"),
)


def _action_points_table(points) -> dict | None:
    """The table the secretariat chose to print, without the columns no point fills."""
    if not points:
        return None
    columns = [
        (heading, name)
        for heading, name in ACTION_POINT_COLUMNS
        if any(getattr(point, name) for point in points)
    ]
    return {
        "columns": [{"heading": heading, "name": name} for heading, name in columns],
        "rows": [
            [{"name": name, "value": getattr(point, name)} for _, name in columns]
            for point in points
        ],
    }


def _translation_note(meeting: Meeting, language: str) -> str:
    """A document in another language than the meeting's authoritative one says, under its
    heading, that it is an unofficial translation and which text is authentic. The
    authoritative version carries no such line: it is the text."""
    authoritative = authoritative_language(meeting)
    if base_language(language) == base_language(authoritative):
        return ""
    return _("This translation is not official; the authentic text is %(in_language)s.") % {
        "in_language": text_in_language(authoritative)
    }


def _context(meeting: Meeting, kind: str, issue: IssueMark | None) -> dict:
    language = base_language()
    context = {
        # The document's own language, for <html lang> (no request, so no context processor).
        "language": language,
        "translation_note": _translation_note(meeting, language),
        # A Summary/conclusions that is not the issued text says so on every page.
        "draft": kind == Document.Kind.SUMMARY and issue is None,
        "issue": issue,
        "meeting": meeting,
        "dialogue": meeting.dialogue,
        "letterhead": kind == Document.Kind.SUMMARY and meeting.dialogue.letterhead,
        "place_and_date": place_and_date(meeting),
        "document_title": Document.Kind(kind).label,
        "fonts_url": FONTS_DIR.as_uri(),
    }
    if kind in (Document.Kind.SUMMARY, Document.Kind.AGENDA):
        # The document is the secretariat's own product: everything in the record is printed.
        if kind == Document.Kind.SUMMARY:
            # With its attendance: the delegations' names are read with the record's.
            stored = record_for_viewer(viewer=SECRETARIAT, meeting=meeting)
            record = stored.record
            context["attendance"] = stored.attendance.paragraph_html()
        else:
            record = meeting_record(meeting=meeting)
        context["record"] = record
        for entry in record.agenda:
            for each in (entry, *entry.sub_items):
                each.item.presenters_text = join_in_language(each.item.presenter_names)
    if kind == Document.Kind.SUMMARY:
        context["paragraphs"] = [
            paragraph
            for paragraph in (_summary_paragraph(entry) for entry in record.agenda)
            if paragraph["record_html"] or paragraph["points"] or paragraph["sub_items"]
        ]
        context["conclusions"] = [render_record(c.text) for c in record.conclusions]
        for point in record.action_points:
            point.responsible_text = join_in_language(point.responsible_names)
            point.due = point.due_text or (
                date_format(point.due_date, "DATE_FORMAT") if point.due_date else ""
            )
        if meeting.summary_action_points:
            context["action_points"] = _action_points_table(record.action_points)
        if meeting.dialogue.letterhead:
            context["letterhead_logo"] = logo_data_url(meeting.dialogue)
    if kind == Document.Kind.BADGES:
        context["sheets"] = _badge_sheets(_delegations(meeting))
    if kind in (Document.Kind.PARTICIPANTS, Document.Kind.PARTICIPANTS_CONTACTS):
        contacts = kind == Document.Kind.PARTICIPANTS_CONTACTS
        context["contacts"] = contacts
        delegations = _delegations(meeting, contacts=contacts)
        context["states"] = [row for row in delegations if row["is_state"]]
        context["organisations"] = [row for row in delegations if not row["is_state"]]
        context["sections"] = [
            (_("Participating states"), context["states"]),
            (_("Organisations"), context["organisations"]),
        ]
        context["total"] = sum(row["headcount"] for row in delegations)
        illustrative = [row for row in delegations if row["headcount_is_illustrative"]]
        # "all" when every headcount is illustrative: the note says so once, nothing is marked.
        context["illustrative"] = (
            "all" if illustrative and len(illustrative) == len(delegations) else bool(illustrative)
        )
    return context


def document_source(
    *, meeting: Meeting, kind: str, language: str = "en", issue: IssueMark | None = None
) -> DocumentSource:
    """The HTML of one of the meeting's documents and its hash. The HTML holds nothing that
    changes between two renders of the same content (no timestamps), so equal hashes mean
    equal documents. A Summary/conclusions is marked DRAFT on every page unless it is the
    record's issued text (`issue`: its revision and date)."""
    if kind not in TEMPLATES:
        raise ValueError(f"{kind!r} is not a document the system generates.")
    # The documents name only the meeting's dialogue of its relations (each join costs the
    # planner more than the row costs to read).
    meeting = Meeting.objects.select_related("dialogue").get(pk=meeting.pk)
    with translation.override(language):
        html = render_to_string(TEMPLATES[kind], _context(meeting, kind, issue))
        title = f"{Document.Kind(kind).label} – {meeting.title}"
    return DocumentSource(
        kind=kind,
        title=title,
        html=html,
        source_hash=hashlib.sha256(html.encode()).hexdigest(),
    )


def html_to_pdf(html: str, *, archival: bool = False) -> bytes:
    """PDF bytes. Fonts come from file:// URLs under static/, a letterhead's logo from a data:
    URL in the HTML itself; nothing is fetched from the network (the URL fetcher refuses
    anything else)."""
    import weasyprint  # Pango is loaded on first use, not when Django starts.
    from weasyprint.urls import URLFetcher

    class LocalFiles(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith((f"{FONTS_DIR.as_uri()}/", "data:")):
                raise ValueError(f"Refusing to fetch {url}: documents use local files only.")
            return super().fetch(url, headers)

    fetcher = LocalFiles(allowed_protocols=("file", "data"))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=FONTS_DIR.as_uri())
    options = {"pdf_variant": ARCHIVAL_VARIANT} if archival else {}
    return document.write_pdf(**options)
