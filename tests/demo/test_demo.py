import json
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from demo import loader
from demo.loader import DemoDataRefused, load_demo
from meetings.models import (
    ActionPoint,
    Meeting,
    Statement,
    ThematicFocus,
)
from participants.models import Participant
from projects.models import Project, Site
from workplans.models import CooperationFramework, Workplan

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing():
    first = load_demo()
    meeting = Meeting.objects.get(sequence_number=24)
    history = meeting.history.count()
    second = load_demo()
    assert first.kinds["meetings.Statement"]["created"] == 19
    assert first.kinds["meetings.Delegation"]["created"] == 27
    assert not second.changed
    assert {label: counts["unchanged"] for label, counts in second.kinds.items()} == {
        label: counts["created"] for label, counts in first.kinds.items()
    }
    again = Meeting.objects.get(pk=meeting.pk)
    assert (again.version, again.history.count()) == (meeting.version, history)


def test_the_command_reports_what_it_changed(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "meetings.Delegation" in first and "rows created, 0 updated" in first
    call_command("load_demo")
    assert "Nothing changed" in capsys.readouterr().out


def test_a_value_that_differs_from_the_files_is_updated_through_the_service():
    load_demo()
    project = Project.objects.get(slug="silk-routes-relec")
    loaded_version = project.version
    Project.objects.filter(pk=project.pk).update(title="Edited since")
    report = load_demo()
    assert report.kinds["projects.Project"]["updated"] == 1
    assert report.total("updated") == 1 and report.total("created") == 0
    project.refresh_from_db()
    assert project.title.startswith("Initiating Regional Law Enforcement Cooperation")
    # One version after the load's (its Russian translation's saves were versions too).
    assert project.version == loaded_version + 1
    assert project.history.latest().history_type == "~"


def test_a_published_record_is_not_changed_by_the_demo_and_nothing_is_written():
    load_demo()
    statement = Statement.objects.get(text__startswith="Iran underlined")
    Statement.objects.filter(pk=statement.pk).update(text="Edited since")
    Project.objects.filter(slug="silk-routes-relec").update(title="Edited since")
    with pytest.raises(DemoDataRefused, match="meetings.Statement #3 of .*is published"):
        load_demo()
    # All or nothing: the project the files would have put back is left as it was.
    assert Project.objects.get(slug="silk-routes-relec").title == "Edited since"


@pytest.fixture
def data_files(tmp_path, monkeypatch):
    """A copy of the data files that a test may change."""
    shutil.copytree(loader.DATA, tmp_path / "data")
    monkeypatch.setattr(loader, "DATA", tmp_path / "data")
    return tmp_path / "data"


def test_the_services_rules_apply_to_the_demo_data(data_files):
    meetings = json.loads((data_files / "meetings.json").read_text(encoding="utf-8"))
    opening = meetings["records"][0]["agenda"][0]
    opening["statements"][0]["speakers"] = ["KZ"]
    (data_files / "meetings.json").write_text(json.dumps(meetings), encoding="utf-8")
    with pytest.raises(DemoDataRefused, match="Kazakhstan did not attend this meeting"):
        load_demo()
    assert not Participant.objects.exists()


def test_a_reference_to_a_row_that_is_not_there_is_named(data_files):
    projects = json.loads((data_files / "projects.json").read_text(encoding="utf-8"))
    projects["projects"][0]["regions"] = ["caucasus"]
    (data_files / "projects.json").write_text(json.dumps(projects), encoding="utf-8")
    with pytest.raises(DemoDataRefused, match="No participants.Region 'caucasus'"):
        load_demo()


def test_the_24th_meeting_is_held_public_and_published(demo):
    assert (demo.city, demo.start_date.isoformat()) == ("Antalya", "2016-12-15")
    assert demo.status == Meeting.Status.HELD
    assert demo.visibility == "public"
    assert demo.record_status == Meeting.RecordStatus.PUBLISHED
    assert (demo.chair.iso_code, demo.co_chair.iso_code) == ("TR", "HU")
    assert demo.dialogue.secretariat.acronym == "ICMPD"
    assert sum(d.headcount for d in demo.delegations.all()) == 50
    assert all(d.headcount_is_illustrative for d in demo.delegations.all())


def test_the_record_holds_statements_by_speaker(demo):
    iran = Participant.objects.get(iso_code="IR")
    said = Statement.objects.filter(agenda_item__meeting=demo, speakers=iran)
    assert said.count() == 1 and "sustainable return" in said.get().text
    joint = Statement.objects.get(text__startswith="Iraq, Afghanistan and Pakistan appreciated")
    assert sorted(joint.speakers.values_list("iso_code", flat=True)) == ["AF", "IQ", "PK"]
    assert demo.conclusions.count() == 3


def test_the_action_point_leads_to_the_planned_istanbul_consultation(demo):
    action = ActionPoint.objects.get(meeting=demo)
    assert action.due_text == "end of February/beginning of March"
    assert action.place == "Istanbul"
    assert list(action.responsible.values_list("iso_code", flat=True)) == ["TR"]
    assert action.fulfilled_by.status == Meeting.Status.PLANNED
    assert action.fulfilled_by.city == "Istanbul"


def test_the_two_working_group_meetings_of_2016(demo):
    hosts = Meeting.objects.filter(kind=Meeting.Kind.WORKING_GROUP, start_date__year=2016)
    assert {(m.host_country.iso_code, m.topic) for m in hosts} == {
        ("IR", "International protection"),
        ("RS", "Integration and reintegration"),
    }
    assert {m.working_group.acronym for m in hosts} == {"SRWG"}


def test_projects_pilots_and_migrant_resource_centres(demo):
    eu_project = Project.objects.get(budget_amount=Decimal("12000000"))
    assert eu_project.budget_currency == "EUR"
    assert eu_project.partners.get(role="funder").participant.acronym == "EC"
    assert eu_project.children.filter(kind="component").count() == 2
    assert eu_project.children.filter(kind="flagship_initiative").count() == 4
    relec = Project.objects.get(acronym="Silk Routes - RELEC")
    assert relec.parent.title == "Silk Routes Partnership Project"
    assert set(relec.beneficiary_countries.values_list("iso_code", flat=True)) == {
        "AF",
        "BD",
        "IR",
        "IQ",
        "PK",
        "TR",
    }
    centres = Site.objects.filter(name__startswith="Migrant Resource Centre")
    assert sorted(centres.values_list("city", flat=True)) == ["Islamabad", "Lahore"]


def test_framework_focus_and_workplan(demo):
    framework = CooperationFramework.objects.get()
    assert (framework.first_year, framework.last_year) == (2017, 2021)
    assert {(c.meeting_kind, c.per_year) for c in framework.cadence.all()} == {
        ("senior_officials", 1),
        ("working_group", 3),
    }
    assert ThematicFocus.objects.get(year=2017).title == "Return and reintegration"
    workplan = Workplan.objects.get(year=2017)
    assert workplan.presented_at == demo
    assert workplan.activities.filter(realised_by__city="Istanbul").exists()


def test_names_today_differ_from_the_record(demo):
    assert Participant.objects.get(iso_code="MK").name == "North Macedonia"
    assert Participant.objects.get(iso_code="TR").name == "Türkiye"
    iom = Participant.objects.get(acronym="IOM")
    assert iom.identifiers.get(scheme="IATI").value == "XM-DAC-47066"


def test_the_planned_consultation_has_a_two_day_agenda_with_times(demo):
    # The 24th meeting's record gives no times, so the demo's planned meeting shows them.
    planned = Meeting.objects.get(slug="consultation-meeting-istanbul-2017")
    items = list(planned.agenda_items.order_by("position"))
    assert [item.day.isoformat() for item in items if item.day] == ["2017-03-01", "2017-03-02"]
    assert all(item.start_time and item.end_time for item in items)
    assert not any(item.record for item in items)
    assert not demo.agenda_items.exclude(start_time=None).exists()
