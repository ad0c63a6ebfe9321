"""The Summary/conclusions as a secretariat issues it: the letterhead, the action points only
when chosen, pages that end full, and the List of participants' note on headcounts."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from meetings import rendering
from meetings.models import Delegation, Document, Meeting
from participants import letterheads
from participants.models import Dialogue
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    StatementFactory,
    UserFactory,
)

# A page may end short of its bottom margin by this share of its text area, no more.
MOST_BLANK_AT_THE_FOOT = 0.2
# A4 in points, and the documents' margins (25 mm top and bottom).
MARGIN = 25 / 25.4 * 72


def pdf_of(meeting, kind=Document.Kind.SUMMARY) -> PdfReader:
    source = rendering.document_source(meeting=meeting, kind=kind)
    return PdfReader(io.BytesIO(rendering.html_to_pdf(source.html)))


def raw_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def choose(meeting, **fields):
    # Straight to the row: the 24th meeting's record is published, so locked for edits.
    Meeting.objects.filter(pk=meeting.pk).update(**fields)


def text_lines(page) -> list[tuple[float, str]]:
    """Each piece of text on the page with the height of its baseline, in points from the
    bottom; the running footer (in the bottom margin) and the DRAFT mark (in the top) left out."""
    lines = []

    def visit(text, cm, tm, font, size):
        height = tm[5] * cm[3] + cm[5]
        if text.strip() and MARGIN < height < float(page.mediabox.height) - MARGIN:
            lines.append((height, text.strip()))

    page.extract_text(visitor_text=visit)
    return lines


def visual_lines(reader: PdfReader) -> list[str]:
    """The text as it reads on the page, line by line, list markers at their lines' start
    (the extraction gives a list's markers apart, after its text)."""
    lines = []
    for page in reader.pages:
        pieces: dict[int, list[tuple[float, str]]] = {}

        def visit(text, cm, tm, font, size, pieces=pieces):
            if text.strip():
                baseline = round(tm[5] * cm[3] + cm[5])
                pieces.setdefault(baseline, []).append((tm[4] * cm[0] + cm[4], text.strip()))

        page.extract_text(visitor_text=visit)
        for baseline in sorted(pieces, reverse=True):
            lines.append(" ".join(text for _, text in sorted(pieces[baseline])))
    return lines


def blank_at_the_foot(page) -> float:
    """The share of the page's text area left blank below its last line."""
    area = float(page.mediabox.height) - 2 * MARGIN
    lowest = min(height for height, _ in text_lines(page))
    return (lowest - MARGIN) / area


# -- the action points ----------------------------------------------------------------------


def test_the_action_points_are_printed_only_when_the_secretariat_chooses_them(demo):
    assert demo.action_points.exists()
    assert "Action points" not in raw_text(pdf_of(demo))

    choose(demo, summary_action_points=True)
    text = raw_text(pdf_of(demo))

    assert "Action points" in text
    for heading in ("Action", "Responsible", "Due", "Place"):
        assert re.search(rf"\b{heading}\b", text)
    # The due date is read on one line, never broken inside.
    assert "end of February/beginning of March" in text


def test_columns_no_action_point_fills_are_left_out(db):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT, summary_action_points=True)
    AgendaItemFactory(meeting=meeting, position=1, record="The floor was opened.")
    ActionPointFactory(meeting=meeting, text="Circulate the draft framework.", place="")
    ActionPointFactory(meeting=meeting, text="Propose dates for the consultation.", place="")

    text = raw_text(pdf_of(meeting))

    assert "Action points" in text and "Circulate the draft framework." in text
    assert "Due" in text and "early next year" in text
    assert "Responsible" not in text and "Place" not in text


def test_the_conclusions_tab_sets_the_choice_and_a_published_record_refuses_it(client, db):
    client.force_login(UserFactory(secretariat=True))
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    url = reverse("secretariat:meeting-conclusions", kwargs={"slug": meeting.slug})
    form = {"save_summary_options": "1", "summary-summary_action_points": "on"}

    response = client.post(url, {**form, "summary-version": meeting.version})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.summary_action_points

    Meeting.objects.filter(pk=meeting.pk).update(record_status=Meeting.RecordStatus.PUBLISHED)
    meeting.refresh_from_db()
    response = client.post(url, {"save_summary_options": "1", "summary-version": meeting.version})
    assert response.status_code == 400
    assert "Reopen it for correction first" in str(response.context["options_form"].errors)
    meeting.refresh_from_db()
    assert meeting.summary_action_points


# -- numbering ------------------------------------------------------------------------------


def test_sub_items_are_their_parents_next_sub_points_as_the_reference_numbers(db):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    parent = AgendaItemFactory(meeting=meeting, position=1, record="The floor was opened.")
    StatementFactory(agenda_item=parent, text="Germany welcomed the proposed cooperation.")
    sub_item = AgendaItemFactory(
        meeting=meeting, parent=parent, position=1, record="The working group reported."
    )
    StatementFactory(agenda_item=sub_item, text="Serbia hosted the meeting.")

    lines = visual_lines(pdf_of(meeting))

    # "1." attendance, "2." the item: its statement i., its sub-item ii., the sub-item's
    # statement marked as the reference marks a list inside a paragraph.
    start = lines.index("2. The floor was opened.")
    assert lines[start : start + 4] == [
        "2. The floor was opened.",
        "i. Germany welcomed the proposed cooperation.",
        "ii. The working group reported.",
        "– Serbia hosted the meeting.",
    ]


# -- the letterhead -------------------------------------------------------------------------


def test_the_demo_dialogues_letterhead_is_its_logo_drawn_on_page_one(demo):
    dialogue = demo.dialogue
    assert dialogue.letterhead and dialogue.letterhead_logo == "img/budapest-process-logo.svg"

    first_page = pdf_of(demo).pages[0]
    top_lines = [text for _, text in sorted(text_lines(first_page), reverse=True)[:4]]

    # The logo (vector, its wording as text) above the heading, which names the dialogue.
    assert top_lines[:3] == ["Budapest", "Process", "Budapest Process"]
    Dialogue.objects.filter(pk=dialogue.pk).update(letterhead=False)
    first_page = pdf_of(demo).pages[0]
    assert sorted(text_lines(first_page), reverse=True)[0][1] == "Budapest Process"


def test_a_letterhead_logo_in_png_is_an_image_on_page_one(db, tmp_path, monkeypatch):
    (tmp_path / "img").mkdir()
    Image.new("RGB", (120, 40), "navy").save(tmp_path / "img" / "logo.png")
    monkeypatch.setattr(letterheads, "static_dir", lambda: tmp_path)
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    Dialogue.objects.filter(pk=meeting.dialogue_id).update(
        letterhead=True, letterhead_logo="img/logo.png"
    )

    pages = pdf_of(meeting).pages
    images = [
        xobject.get_object()["/Subtype"]
        for xobject in pages[0]["/Resources"].get("/XObject", {}).values()
    ]
    assert "/Image" in images
    # The agenda, another document of the meeting, carries no letterhead.
    agenda = pdf_of(meeting, Document.Kind.AGENDA).pages[0]
    assert not agenda["/Resources"].get("/XObject")


def test_a_letterhead_without_a_logo_prints_the_dialogues_name(db):
    meeting = MeetingFactory(record_status=Meeting.RecordStatus.DRAFT)
    Dialogue.objects.filter(pk=meeting.dialogue_id).update(letterhead=True)
    name = meeting.dialogue.name

    top_lines = [text for _, text in sorted(text_lines(pdf_of(meeting).pages[0]), reverse=True)]

    assert top_lines[:2] == [name, name]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("img/nothing-here.svg", "There is no file img/nothing-here.svg under static/."),
        ("../manage.py", "There is no file ../manage.py under static/."),
        ("css/app.css", "The logo must be an SVG, PNG or JPEG image."),
    ],
)
def test_a_letterhead_logo_is_an_image_under_static(path, message, tmp_path, monkeypatch):
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "app.css").write_text("body { margin: 0; }")
    (tmp_path / "manage.py").write_text("import django")
    monkeypatch.setattr(letterheads, "static_dir", lambda: tmp_path / "static")
    with pytest.raises(ValidationError) as refused:
        letterheads.validate_letterhead_logo(path)
    assert refused.value.messages == [message]


def test_the_letterhead_is_set_where_dialogues_are_edited(client, db):
    client.force_login(UserFactory(secretariat=True))
    meeting = MeetingFactory()
    dialogue = meeting.dialogue
    url = reverse("secretariat:edit", kwargs={"part": "dialogue", "pk": dialogue.pk})
    fields = {"name": dialogue.name, "slug": dialogue.slug, "letterhead": "on"}

    refused = client.post(
        url, {**fields, "letterhead_logo": "img/none.svg", "version": dialogue.version}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["letterhead_logo"] == [
        "There is no file img/none.svg under static/."
    ]
    logo = "img/budapest-process-logo.svg"
    response = client.post(url, {**fields, "letterhead_logo": logo, "version": dialogue.version})
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert (dialogue.letterhead, dialogue.letterhead_logo) == (True, logo)


# -- pages that end full --------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Document.Kind.SUMMARY, Document.Kind.PARTICIPANTS])
def test_no_page_of_the_24th_meetings_documents_ends_with_a_fifth_blank(demo, kind):
    choose(demo, summary_action_points=True)
    pages = pdf_of(demo, kind).pages
    assert len(pages) > 1
    blank = [round(blank_at_the_foot(page), 2) for page in pages[:-1]]
    assert max(blank) <= MOST_BLANK_AT_THE_FOOT, f"blank at the foot of each page: {blank}"


# -- the list of participants ---------------------------------------------------------------


def test_the_list_of_participants_says_its_headcounts_are_illustrative(demo):
    assert not demo.delegations.filter(headcount_is_illustrative=False).exists()
    text = raw_text(pdf_of(demo, Document.Kind.PARTICIPANTS))
    assert "The delegations' headcounts are illustrative" in text
    assert "*" not in text


def test_only_the_illustrative_headcounts_are_marked(db):
    meeting = MeetingFactory()
    DelegationFactory(meeting=meeting, headcount=3, headcount_is_illustrative=True)
    counted = DelegationFactory(meeting=meeting, headcount=2)
    assert not counted.headcount_is_illustrative

    text = raw_text(pdf_of(meeting, Document.Kind.PARTICIPANTS))

    assert "Headcounts marked * are illustrative" in text
    assert "3 persons*" in text and "2 persons*" not in text


def test_counted_headcounts_need_no_note(db):
    meeting = MeetingFactory()
    DelegationFactory(meeting=meeting, headcount=2)
    assert not Delegation.objects.filter(headcount_is_illustrative=True).exists()
    assert "illustrative" not in raw_text(pdf_of(meeting, Document.Kind.PARTICIPANTS))
