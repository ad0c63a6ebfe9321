"""`make demo` issues the 24th meeting's Summary/conclusions in Russian (the unofficial demo
translation), so a reader who switches to Russian finds its PDF on the meeting's page."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from meetings.models import Document, Meeting

pytestmark = pytest.mark.django_db


def test_the_russian_summary_is_issued_once_and_reads_in_russian(client):
    call_command("load_demo", "--documents", stdout=io.StringIO(), stderr=io.StringIO())
    meeting = Meeting.objects.get(kind="senior_officials", sequence_number=24)
    issued = Document.objects.get(meeting=meeting, kind=Document.Kind.SUMMARY, language="ru")
    assert issued.issued_at is not None
    with issued.file.open("rb") as pdf:
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "50 участников из 22 стран" in " ".join(text.split())
    assert "Резюме/выводы" in text

    page = client.get(f"/ru/meetings/{meeting.slug}/").content.decode()
    assert f"/documents/{issued.uid}/" in page or str(issued.uid) in page

    call_command("load_demo", "--documents", stdout=io.StringIO(), stderr=io.StringIO())
    assert Document.objects.filter(meeting=meeting, language="ru").count() == 1
