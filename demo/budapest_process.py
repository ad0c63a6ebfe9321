"""The Budapest Process as the Summary/conclusions of its 24th Senior Officials Meeting
(Antalya, 15 December 2016) describes it, plus what that document implies.

Every fact of the reference document lands in a field. Where the document gives no figure
(each delegation's headcount, the dates of the 2016 working-group meetings) the values are
illustrative, chosen to add up to the document's totals, and marked so in the data
(`Delegation.headcount_is_illustrative`, `Meeting.data_note`).

Loading is idempotent: rows are found by their natural keys and written only when they differ,
so a second run changes nothing, not even versions or history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from meetings.models import (
    ActionPoint,
    AgendaItem,
    Conclusion,
    Delegation,
    Meeting,
    Statement,
    ThematicFocus,
    Visibility,
    WorkingGroup,
)
from meetings.services import meeting_record_import_published
from participants.models import (
    Dialogue,
    ExternalIdentifier,
    Membership,
    Participant,
    ParticipantName,
    Region,
    RoleAssignment,
)
from projects.models import Project, ProjectPartner, Site
from workplans.models import (
    Activity,
    CooperationFramework,
    FrameworkCadence,
    Workplan,
)

D = datetime.date

# (ISO code, name in the 2016 record, sort name) and, where the name changed since,
# (date of the change, today's name, today's sort name).
STATES = [
    ("AF", "Afghanistan", "Afghanistan", None),
    ("AU", "Australia", "Australia", None),
    ("AZ", "Azerbaijan", "Azerbaijan", None),
    ("BD", "Bangladesh", "Bangladesh", None),
    ("BY", "Belarus", "Belarus", None),
    ("CZ", "Czech Republic", "Czech Republic", None),
    ("GE", "Georgia", "Georgia", None),
    ("DE", "Germany", "Germany", None),
    ("HU", "Hungary", "Hungary", None),
    ("IR", "Islamic Republic of Iran", "Iran, Islamic Republic of", None),
    ("IQ", "Iraq", "Iraq", None),
    (
        "MK",
        "the former Yugoslav Republic of Macedonia",
        "Macedonia, the former Yugoslav Republic of",
        (D(2019, 2, 12), "North Macedonia", "North Macedonia"),
    ),
    ("ME", "Montenegro", "Montenegro", None),
    ("NL", "Netherlands", "Netherlands", None),
    ("NO", "Norway", "Norway", None),
    ("PK", "Pakistan", "Pakistan", None),
    ("PL", "Poland", "Poland", None),
    ("RS", "Serbia", "Serbia", None),
    ("CH", "Switzerland", "Switzerland", None),
    ("TJ", "Tajikistan", "Tajikistan", None),
    ("TR", "Turkey", "Turkey", (D(2022, 6, 1), "Türkiye", "Turkiye")),
    ("UA", "Ukraine", "Ukraine", None),
    # Participating states of Central Asia that the new project opens to; not at the meeting.
    ("KZ", "Kazakhstan", "Kazakhstan", None),
    ("KG", "Kyrgyzstan", "Kyrgyzstan", None),
    ("TM", "Turkmenistan", "Turkmenistan", None),
    ("UZ", "Uzbekistan", "Uzbekistan", None),
]

# (slug, acronym, name, prose name, organisation type, IATI identifier)
ORGANISATIONS = [
    ("ec", "EC", "European Commission", "the European Commission", "eu_institution", ""),
    (
        "eeas",
        "EEAS",
        "European External Action Service",
        "the European External Action Service (EEAS)",
        "eu_institution",
        "",
    ),
    (
        "frontex",
        "Frontex",
        "Frontex",
        "Frontex – the European Border and Coast Guard Agency",
        "eu_agency",
        "",
    ),
    (
        "icmpd",
        "ICMPD",
        "International Centre for Migration Policy Development",
        "the International Centre for Migration Policy Development (ICMPD)",
        "intergovernmental",
        "",
    ),
    (
        "iom",
        "IOM",
        "International Organization for Migration",
        "the International Organization for Migration (IOM)",
        "intergovernmental",
        "XM-DAC-47066",
    ),
]

# Frontex became the European Border and Coast Guard Agency on 6 October 2016 (Regulation
# (EU) 2016/1624); records written before then use its earlier name.
FRONTEX_EARLIER_NAME = (
    "Frontex – the European Agency for the Management of Operational Cooperation at the "
    "External Borders of the Member States of the European Union"
)

# Illustrative headcounts (the record gives 50 in all): participant -> (headcount, role).
DELEGATIONS_24TH_SOM = {
    "AF": (3, "participant"),
    "AU": (1, "participant"),
    "AZ": (1, "participant"),
    "BD": (2, "participant"),
    "BY": (1, "participant"),
    "CZ": (1, "participant"),
    "GE": (1, "participant"),
    "DE": (2, "participant"),
    "HU": (2, "co_chair"),
    "IR": (3, "participant"),
    "IQ": (2, "participant"),
    "MK": (1, "participant"),
    "ME": (1, "participant"),
    "NL": (2, "participant"),
    "NO": (1, "participant"),
    "PK": (3, "participant"),
    "PL": (1, "participant"),
    "RS": (2, "participant"),
    "CH": (1, "participant"),
    "TJ": (1, "participant"),
    "TR": (6, "chair"),
    "UA": (1, "participant"),
    "ec": (2, "participant"),
    "eeas": (1, "participant"),
    "frontex": (1, "participant"),
    "icmpd": (5, "secretariat"),
    "iom": (2, "participant"),
}

# Agenda of the 24th SOM: title, session, presenters, statement layout, record, and
# statements as (speakers, text).
AGENDA_24TH_SOM = [
    {
        "title": "Opening statements",
        "session": "Opening session",
        "presenters": ["TR", "HU", "icmpd", "ec"],
        "layout": "running",
        "record": (
            "During the first part of the meeting **opening statements** were made by the "
            "Chair, Co-Chair, Secretariat and the European Commission referring to the "
            "**migration situation in 2016**."
        ),
        "statements": [
            (
                ["TR"],
                "Turkey highlighted the flexible feature of the Budapest Process and ongoing "
                "and proposed efforts to make this cooperation framework even more responsive "
                "to the needs of its participating states.",
            ),
            (
                ["HU"],
                "Hungary underlined the significance of the implementation of the Joint Action "
                "Plan between the EU and Turkey for migratory flows along the Silk Routes.",
            ),
            (
                ["icmpd"],
                "Referring to the possibility of a Ministerial Conference in 2018, the Budapest "
                "Process Secretariat welcomed the opportunity to renew the political commitment "
                "and mandate for the Silk Routes Partnership for Migration.",
            ),
            (
                ["ec"],
                "The European Commission presented EU's efforts in the area of cooperation with "
                "third countries in the field of migration and stressed the importance of the "
                "BP in this regard. The representative specifically mentioned a new approach – "
                "the migration partnership framework - currently piloted by the EU with five "
                "African countries.",
            ),
        ],
    },
    {
        "title": "Activities of the Budapest Process and the Silk Routes Partnership Project in 2016",
        "session": "Morning session",
        "presenters": ["icmpd"],
        "layout": "numbered",
        "record": (
            "Following the opening statements, the Secretariat reported on the activities held "
            "in 2016 within the Budapest Process (BP) and the Silk Routes Partnership Project. "
            "Overall, two meetings were held by the Silk Routes Region Working Group (SRWG) – "
            "one in Iran on international protection and one in Serbia on integration and "
            "reintegration. Both Iran and Serbia hosted a Budapest Process meeting for the first "
            "time. The Silk Routes Partnership project focused on the implementation of two "
            "major pilot initiatives: 'Establishment of Migrant Resource Centres and Raising "
            "Awareness on Migration in Pakistan' and 'Initiating Regional Law Enforcement "
            "Cooperation – Silk Routes Region and Turkey (Silk Routes - RELEC)'. The first pilot "
            "led to the establishment of Pakistan's first ever Migrant Resource Centres in "
            "Islamabad and Lahore running under the direct supervision of the federal and "
            "provincial governments and the second pilot to a first proposed regional "
            "cooperation framework among the law enforcement authorities of Afghanistan, "
            "Bangladesh, Iran, Iraq, Pakistan and Turkey."
        ),
        "statements": [],
    },
    {
        "title": "Work plan for 2017",
        "session": "Morning session",
        "presenters": ["icmpd"],
        "layout": "numbered",
        "record": (
            "This was followed by a presentation of the planned work plan for 2017 within the "
            "framework of the Budapest Process and the Silk Routes Partnership Project by the "
            "Secretariat."
        ),
        "statements": [
            (
                ["icmpd"],
                "The Silk Routes Partnership Project will be focusing on the training of "
                "trainers in Iraq and Afghanistan, migration policy development in Afghanistan "
                "and the establishment of a Migration Information Centre in Afghanistan in "
                "addition to finalising the activities envisaged under the Migrant Resource "
                "Centres and information campaign in Pakistan and the RELEC pilot.",
            ),
            (
                ["IQ", "AF", "PK"],
                "Iraq, Afghanistan and Pakistan appreciated the support delivered under the "
                "Silk Routes Partnership Project. Iraq highlighted the links between migration "
                "and terrorism and underlined the importance of various trainings organised "
                "with the support of the Secretariat. Afghanistan welcomed the possibility of "
                "establishing a Migration Information Centre in Kabul and also expressed their "
                "country's wish to involve the Secretariat in the work of the High Commission "
                "on Refugees, which is under the Presidency. Pakistan commended on the support "
                "delivered by the Migrant Resource Centres in Pakistan, highlighting the need "
                "for awareness raising and outreach in their country on migration issues.",
            ),
            (
                ["frontex"],
                "Frontex expressed their commitment to provide expertise and again host "
                "meetings and trainings at their Headquarters.",
            ),
        ],
    },
    {
        "title": "The global compact for safe, orderly and regular migration",
        "session": "Morning session",
        "presenters": ["iom"],
        "layout": "numbered",
        "record": (
            "This session was followed by a presentation by IOM on the global compact for safe, "
            "orderly and regular migration to be adopted in 2018. The global compact is "
            "intended to:\n\n"
            "- set out a range of principles, commitments and understandings among Member "
            "States regarding international migration in all its dimensions;\n"
            "- make an important contribution to global governance and enhance coordination "
            "on international migration;\n"
            "- present a framework for comprehensive international cooperation on migration "
            "and human mobility;\n"
            "- address all aspects of international migration, including the humanitarian, "
            "developmental, human rights-related and other aspects.\n"
        ),
        "statements": [],
    },
    {
        "title": "The future dialogue and cooperation framework of the Budapest Process 2017-2021",
        "session": "Afternoon session",
        "presenters": ["icmpd", "TR", "ec"],
        "layout": "numbered",
        "record": (
            "The session after lunch was devoted to presentation and discussion on the future "
            "dialogue and cooperation framework for the Budapest Process:"
        ),
        "statements": [
            (
                ["icmpd"],
                "The proposal for a cooperation and dialogue framework for the Budapest Process "
                "for 2017-2021 aims at maintaining a comprehensive and holistic migration "
                "dialogue on the one hand and facilitating targeted ad-hoc cooperation on the "
                "other hand. Ad hoc cooperation should make it possible to react to certain "
                "migration realities in a targeted manner, mainly through a facility for "
                "demand-driven, needs-based short-term actions.",
            ),
            (
                ["icmpd"],
                "One Senior Officials meeting per year and three annual working group meetings "
                "continue to form the basis of the dialogue framework. However, as a novelty, an "
                "annual thematic focus is proposed in order to focus resources and deepen "
                "cooperation. The suggested thematic focus in 2017 is return and reintegration. "
                "It was also proposed to appoint a thematic chair to guide and steer the "
                "dialogue and increase ownership by participating countries.",
            ),
            (
                ["TR"],
                "The framework for 2017-2021 also includes a proposal by the Chair to hold a "
                "Ministerial Conference in 2018, 5 years after the adoption of the Silk Routes "
                "Partnership for Migration and marking the 25th year of the Budapest Process. "
                "The Chair also proposed that the Budapest Process should respond to the "
                "invitation to make a contribution to the preparatory process for the global "
                "compact for safe, orderly and regular migration to be adopted in 2018.",
            ),
            (
                ["ec"],
                "The European Commission announced that there will be a new EU funded project "
                "for the cooperation with the Silk Routes Region under the Budapest Process with "
                "a budget of 12 million EUR. This project will entail a dialogue component and a "
                "demand-driven, needs-based facility component. In addition, a number of "
                "flagship initiatives will be supported addressing issues such as Migration "
                "Information Centres, law enforcement cooperation, rights of migrant workers and "
                "labour migration. Whilst the focus is still on the Silk Routes Region, Central "
                "Asian countries can also participate in the project. The Commission expressed "
                "the wish to see a strengthened participation of the EU Member States in the "
                "Process and also reminded that for a Ministerial Conference in 2018, strong "
                "content is needed in order to continue building upon the trust already "
                "established since 2013 and on the concrete achievements. One of the strengths "
                "of the Budapest Process is that it is one of the few fora where countries of "
                "origin, transit and destination regularly come together.",
            ),
        ],
    },
    {
        "title": "Discussion",
        "session": "Afternoon session",
        "presenters": [],
        "layout": "numbered",
        "record": (
            "Following all presentations, the floor was opened for discussion. Overall, the "
            "proposed framework was met with approval."
        ),
        "statements": [
            (
                ["TR"],
                "Once again the Chair underlined that after five years of implementation of the "
                "Silk Routes Partnership for Migration, the change in the migration situation in "
                "the BP region calls for new approaches. Turkey also underlined that as one of "
                "the leading regional dialogues, the Budapest Process should be contributing "
                "significantly to the upcoming global compact.",
            ),
            (
                ["IQ"],
                "In view of the thematic focus proposed for 2017, Iraq expressed that returns, "
                "especially voluntary returns are important, but countries of origin need more "
                "help to deal with this issue. A five year plan could help reducing irregular "
                "migration. Return is not only an important issue for the EU, but also for the "
                "Silk Routes countries.",
            ),
            (
                ["IR"],
                "Iran underlined that there is need for a collective response to the present "
                "migration situation. Iran would therefore be interested to contribute to the "
                "global compact 2018 and also to the Ministerial Conference 2018. The "
                "representative highlighted a couple of areas where Iran would like to see more "
                "support from the international community, for example; joint cooperation on "
                "skills development in Afghanistan, enhancing capacities of migrant youth in "
                "Iran and preparing them for sustainable return, developing special services for "
                "vulnerable groups such as women, families and disabled persons as well as "
                "developing projects for sustainable regional development addressing also "
                "environmental challenges and climate change in parts of Iran.",
            ),
            (
                ["NL"],
                "The Netherlands stays committed to the BP and agrees with the European "
                "Commission that it is important to go beyond the mere dialogue and get results. "
                "Regarding the plans for a new Ministerial Conference, subject matters for "
                "discussion need to have political importance in order to gather political "
                "leaders. The attendance of ministers is vital in order to reaffirm political "
                "ownership and commitment.",
            ),
            (
                ["DE"],
                "Germany welcomed the proposed targeted cooperation as an added-value and also "
                "supported the thematic focus proposed for next year. Furthermore Germany "
                "supported the plan to link the BP with the global compact and echoed the calls "
                "for a content driven Ministerial Conference in 2018.",
            ),
            (
                ["frontex"],
                "Frontex is ready to contribute to the capacity building efforts, also when "
                "project funding should no longer be available.",
            ),
            (
                ["eeas"],
                "EEAS expressed support to the proposed framework, including the thematic focus "
                "on return and reintegration and would also like to see more concrete "
                "cooperation among the BP countries.",
            ),
            (
                ["iom"],
                "IOM reminded that working on the resilience of local communities and looking at "
                "development aspects of return and reintegration are equally important as "
                "individual return and reintegration efforts. Furthermore, IOM would be ready to "
                "support the BP in its contribution to the global compact.",
            ),
        ],
    },
    {
        "title": "Next steps: a consultation meeting on the Ministerial Conference 2018",
        "session": "Closing session",
        "presenters": ["TR"],
        "layout": "numbered",
        "record": (
            "The Turkish Chair proposed to hold a consultation meeting at the end of "
            "February/beginning of March in Istanbul to further discuss the proposal to hold a "
            "Ministerial Conference in 2018. In addition, this consultation would also discuss "
            "how the Budapest Process, as the main platform for migration dialogue with the "
            "Silk Routes Region, could bring substantial contribution to the preparatory "
            "process of the global compact for safe, orderly and regular migration. "
            "Participating states agreed with this proposal."
        ),
        "statements": [],
    },
]

CONCLUSIONS_INTRO = "In closing, the Secretariat shortly summarised the discussions:"
CONCLUSIONS_24TH_SOM = [
    (
        "agreement",
        "The participating countries welcome the proposed dialogue and cooperation framework, "
        "which includes a targeted facility and a thematic focus for each year. The proposed "
        "thematic focus for 2017 is also accepted.",
    ),
    (
        "recommendation",
        "Participating states in general supported the holding of a Ministerial Conference in "
        "2018, however presupposing that strong content is delivered.",
    ),
    (
        "decision",
        "Further consultations are necessary both for the Ministerial Conference and to decide "
        "on possible contribution of the BP to the global compact. Thus, a consultation meeting "
        "among the BP participating countries will take place in early 2017.",
    ),
]


class Loader:
    """Writes rows by natural key, only when something differs."""

    def __init__(self):
        self.written = 0

    def upsert(self, model, lookup: dict, values: dict | None = None, m2m: dict | None = None):
        values = values or {}
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.written += 1
        elif any(getattr(obj, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(obj, field, value)
            obj.full_clean()
            obj.save()
            self.written += 1
        for field, related in (m2m or {}).items():
            manager = getattr(obj, field)
            wanted = {r.pk for r in related}
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(related)
                self.written += 1
        return obj


@transaction.atomic
def load_demo(progress=None) -> dict[str, int]:
    """Load the Budapest Process demo data; returns how many rows of each kind exist."""
    load = Loader()
    step = progress or (lambda label: None)

    step("participants")
    p: dict[str, Participant] = {}
    for iso, name, sort_name, renamed in STATES:
        today_name, today_sort = (renamed[1], renamed[2]) if renamed else (name, sort_name)
        slug = today_name.lower().replace(" ", "-").replace("ü", "u")
        p[iso] = load.upsert(
            Participant,
            {"iso_code": iso},
            {"kind": "state", "name": today_name, "sort_name": today_sort, "slug": slug},
        )
        if renamed:
            since = renamed[0]
            load.upsert(
                ParticipantName,
                {"participant": p[iso], "valid_from": None},
                {"name": name, "sort_name": sort_name, "valid_to": since - datetime.timedelta(1)},
            )
            load.upsert(
                ParticipantName,
                {"participant": p[iso], "valid_from": since},
                {"name": today_name, "sort_name": today_sort, "valid_to": None},
            )
        else:
            load.upsert(
                ParticipantName,
                {"participant": p[iso], "valid_from": None},
                {"name": name, "sort_name": sort_name, "valid_to": None},
            )
        load.upsert(
            ExternalIdentifier,
            {"participant": p[iso], "scheme": ExternalIdentifier.Scheme.ISO_3166_1_ALPHA_2},
            {"value": iso},
        )
    for slug, acronym, name, prose, org_type, iati in ORGANISATIONS:
        p[slug] = load.upsert(
            Participant,
            {"slug": slug},
            {
                "kind": "organisation",
                "name": name,
                "sort_name": name,
                "acronym": acronym,
                "organisation_type": org_type,
            },
        )
        if slug == "frontex":
            load.upsert(
                ParticipantName,
                {"participant": p[slug], "valid_from": None},
                {
                    "name": name,
                    "sort_name": name,
                    "prose_name": FRONTEX_EARLIER_NAME,
                    "valid_to": D(2016, 10, 5),
                },
            )
            load.upsert(
                ParticipantName,
                {"participant": p[slug], "valid_from": D(2016, 10, 6)},
                {"name": name, "sort_name": name, "prose_name": prose, "valid_to": None},
            )
        else:
            load.upsert(
                ParticipantName,
                {"participant": p[slug], "valid_from": None},
                {"name": name, "sort_name": name, "prose_name": prose, "valid_to": None},
            )
        if iati:
            load.upsert(
                ExternalIdentifier,
                {"participant": p[slug], "scheme": ExternalIdentifier.Scheme.IATI},
                {"value": iati},
            )

    step("dialogue")
    bp = load.upsert(
        Dialogue,
        {"slug": "budapest-process"},
        {
            "name": "Budapest Process",
            "acronym": "BP",
            "secretariat": p["icmpd"],
            "description": (
                "A consultative forum on migration of more than 50 governments and international "
                "organisations, connecting Europe with the Silk Routes Region."
            ),
        },
    )
    for iso, *_ in STATES:
        load.upsert(
            Membership,
            {"dialogue": bp, "participant": p[iso], "valid_from": None},
            {"status": "participating_state"},
        )
    for slug, *_ in ORGANISATIONS:
        status = "secretariat" if slug == "icmpd" else "partner_organisation"
        load.upsert(
            Membership,
            {"dialogue": bp, "participant": p[slug], "valid_from": None},
            {"status": status},
        )
    silk_routes = load.upsert(
        Region,
        {"dialogue": bp, "slug": "silk-routes"},
        {"name": "Silk Routes Region"},
        m2m={"states": [p[c] for c in ("AF", "BD", "IR", "IQ", "PK")]},
    )
    central_asia = load.upsert(
        Region,
        {"dialogue": bp, "slug": "central-asia"},
        {"name": "Central Asia"},
        m2m={"states": [p[c] for c in ("KZ", "KG", "TJ", "TM", "UZ")]},
    )
    # The record names Turkey as Chair and Hungary as Co-Chair in 2016; it says nothing of
    # when their terms began or ended, so the assignments cover the year of the record.
    for iso, role in (("TR", "chair"), ("HU", "co_chair")):
        load.upsert(
            RoleAssignment,
            {"dialogue": bp, "participant": p[iso], "role": role, "valid_from": D(2016, 1, 1)},
            {"valid_to": D(2016, 12, 31)},
        )
    srwg = load.upsert(
        WorkingGroup,
        {"dialogue": bp, "name": "Silk Routes Region Working Group"},
        {"acronym": "SRWG", "region": silk_routes},
    )

    step("meetings")
    som24 = load.upsert(
        Meeting,
        {"slug": "24th-senior-officials-meeting-antalya-2016"},
        {
            "dialogue": bp,
            "kind": Meeting.Kind.SENIOR_OFFICIALS,
            "sequence_number": 24,
            "title": "24th Meeting of the Senior Officials of the Budapest Process",
            "start_date": D(2016, 12, 15),
            "end_date": D(2016, 12, 15),
            "city": "Antalya",
            "host_country": p["TR"],
            "chair": p["TR"],
            "co_chair": p["HU"],
            "status": Meeting.Status.HELD,
            "visibility": Visibility.PUBLIC,
            "conclusions_intro": CONCLUSIONS_INTRO,
            "data_note": "Delegation headcounts are illustrative; the record gives only the total.",
        },
    )
    for host, topic, slug in (
        ("IR", "International protection", "srwg-meeting-iran-2016"),
        ("RS", "Integration and reintegration", "srwg-meeting-serbia-2016"),
    ):
        load.upsert(
            Meeting,
            {"slug": slug},
            {
                "dialogue": bp,
                "kind": Meeting.Kind.WORKING_GROUP,
                "working_group": srwg,
                "title": f"Meeting of the Silk Routes Region Working Group on {topic.lower()}",
                "topic": topic,
                "start_date": D(2016, 5, 24) if host == "IR" else D(2016, 10, 12),
                "end_date": D(2016, 5, 25) if host == "IR" else D(2016, 10, 13),
                "host_country": p[host],
                "status": Meeting.Status.HELD,
                "visibility": Visibility.PARTICIPANTS,
                "record_status": Meeting.RecordStatus.DRAFT,
                "data_note": "Dates illustrative: the 24th SOM's record gives only the year.",
            },
        )
    focus_2017 = load.upsert(
        ThematicFocus,
        {"dialogue": bp, "year": 2017},
        {
            "title": "Return and reintegration",
            "status": ThematicFocus.Status.ACCEPTED,
            "proposed_at": som24,
            "accepted_at": som24,
        },
    )
    consultation = load.upsert(
        Meeting,
        {"slug": "consultation-meeting-istanbul-2017"},
        {
            "dialogue": bp,
            "kind": Meeting.Kind.CONSULTATION,
            "title": "Consultation meeting on a Ministerial Conference in 2018",
            "topic": (
                "The proposal to hold a Ministerial Conference in 2018 and the Budapest "
                "Process' contribution to the global compact for safe, orderly and regular "
                "migration"
            ),
            "start_date": D(2017, 3, 1),
            "end_date": D(2017, 3, 1),
            "city": "Istanbul",
            "host_country": p["TR"],
            "chair": p["TR"],
            "thematic_focus": focus_2017,
            "status": Meeting.Status.PLANNED,
            "visibility": Visibility.PARTICIPANTS,
            "record_status": Meeting.RecordStatus.DRAFT,
            "data_note": "Date approximate: agreed for the end of February/beginning of March 2017.",
        },
    )

    step("record of the 24th Senior Officials Meeting")
    for key, (headcount, role) in DELEGATIONS_24TH_SOM.items():
        load.upsert(
            Delegation,
            {"meeting": som24, "participant": p[key]},
            {"headcount": headcount, "role": role, "headcount_is_illustrative": True},
        )
    for position, item in enumerate(AGENDA_24TH_SOM, start=1):
        agenda_item = load.upsert(
            AgendaItem,
            {"meeting": som24, "parent": None, "position": position},
            {
                "title": item["title"],
                "session_label": item["session"],
                "record": item["record"],
                "statement_layout": item["layout"],
            },
            m2m={"presenters": [p[k] for k in item["presenters"]]},
        )
        for number, (speakers, text) in enumerate(item["statements"], start=1):
            load.upsert(
                Statement,
                {"agenda_item": agenda_item, "position": number},
                {"text": text},
                m2m={"speakers": [p[k] for k in speakers]},
            )
    for position, (kind, text) in enumerate(CONCLUSIONS_24TH_SOM, start=1):
        load.upsert(
            Conclusion, {"meeting": som24, "position": position}, {"kind": kind, "text": text}
        )
    load.upsert(
        ActionPoint,
        {"meeting": som24, "position": 1},
        {
            "text": (
                "Hold a consultation meeting to further discuss the proposal to hold a "
                "Ministerial Conference in 2018 and how the Budapest Process could contribute "
                "to the preparatory process of the global compact for safe, orderly and regular "
                "migration."
            ),
            "due_date": D(2017, 3, 10),
            "due_text": "end of February/beginning of March",
            "place": "Istanbul",
            "status": ActionPoint.Status.IN_PROGRESS,
            "fulfilled_by": consultation,
        },
        m2m={"responsible": [p["TR"]]},
    )

    if som24.record_status == Meeting.RecordStatus.DRAFT:
        # Published in December 2016, before it was kept here: revision 1 as it stands.
        meeting_record_import_published(
            meeting=som24,
            published_on=D(2016, 12, 15),
            note="Summary/conclusions as circulated after the meeting.",
        )
        load.written += 1

    step("projects")
    srpp = load.upsert(
        Project,
        {"slug": "silk-routes-partnership-project"},
        {
            "dialogue": bp,
            "kind": Project.Kind.PROJECT,
            "title": "Silk Routes Partnership Project",
            "status": Project.Status.ONGOING,
            "description": (
                "Implements the Silk Routes Partnership for Migration through dialogue, "
                "training and pilot initiatives in the Silk Routes Region."
            ),
        },
        m2m={"regions": [silk_routes]},
    )
    load.upsert(ProjectPartner, {"project": srpp, "participant": p["icmpd"], "role": "implementer"})
    mrc = load.upsert(
        Project,
        {"slug": "migrant-resource-centres-pakistan"},
        {
            "dialogue": bp,
            "parent": srpp,
            "kind": Project.Kind.PILOT_INITIATIVE,
            "title": (
                "Establishment of Migrant Resource Centres and Raising Awareness on Migration "
                "in Pakistan"
            ),
            "status": Project.Status.ONGOING,
            "outcome": (
                "Pakistan's first ever Migrant Resource Centres, in Islamabad and Lahore, "
                "running under the direct supervision of the federal and provincial governments."
            ),
        },
        m2m={"beneficiary_countries": [p["PK"]], "regions": [silk_routes]},
    )
    for city, authority in (
        ("Islamabad", "Federal Government of Pakistan"),
        ("Lahore", "Provincial Government of Punjab"),
    ):
        load.upsert(
            Site,
            {"project": mrc, "name": f"Migrant Resource Centre {city}"},
            {
                "city": city,
                "country": p["PK"],
                "supervising_authority": authority,
                "status": Site.Status.OPERATING,
            },
        )
    relec = load.upsert(
        Project,
        {"slug": "silk-routes-relec"},
        {
            "dialogue": bp,
            "parent": srpp,
            "kind": Project.Kind.PILOT_INITIATIVE,
            "title": "Initiating Regional Law Enforcement Cooperation – Silk Routes Region and Turkey",
            "acronym": "Silk Routes - RELEC",
            "status": Project.Status.ONGOING,
            "outcome": (
                "A first proposed regional cooperation framework among the law enforcement "
                "authorities of Afghanistan, Bangladesh, Iran, Iraq, Pakistan and Turkey."
            ),
        },
        m2m={
            "beneficiary_countries": [p[c] for c in ("AF", "BD", "IR", "IQ", "PK", "TR")],
            "regions": [silk_routes],
        },
    )
    load.upsert(
        Site,
        {"project": srpp, "name": "Migration Information Centre Kabul"},
        {"city": "Kabul", "country": p["AF"], "status": Site.Status.PLANNED},
    )
    eu_project = load.upsert(
        Project,
        {"slug": "eu-silk-routes-cooperation-project"},
        {
            "dialogue": bp,
            "kind": Project.Kind.PROJECT,
            "title": (
                "EU-funded project for the cooperation with the Silk Routes Region under the "
                "Budapest Process"
            ),
            "status": Project.Status.PLANNED,
            "budget_amount": Decimal("12000000.00"),
            "budget_currency": "EUR",
            "description": (
                "Announced by the European Commission at the 24th Senior Officials Meeting. "
                "Focused on the Silk Routes Region; Central Asian countries can also take part."
            ),
        },
        m2m={"regions": [silk_routes, central_asia]},
    )
    load.upsert(
        ProjectPartner,
        {"project": eu_project, "participant": p["ec"], "role": "funder"},
        {"contribution_amount": Decimal("12000000.00"), "contribution_currency": "EUR"},
    )
    for slug, kind, title, description in (
        ("eu-project-dialogue-component", "component", "Dialogue component", ""),
        (
            "eu-project-facility-component",
            "component",
            "Facility component",
            "A demand-driven, needs-based facility for short-term actions.",
        ),
        (
            "flagship-migration-information-centres",
            "flagship_initiative",
            "Migration Information Centres",
            "",
        ),
        (
            "flagship-law-enforcement-cooperation",
            "flagship_initiative",
            "Law enforcement cooperation",
            "",
        ),
        (
            "flagship-rights-of-migrant-workers",
            "flagship_initiative",
            "Rights of migrant workers",
            "",
        ),
        ("flagship-labour-migration", "flagship_initiative", "Labour migration", ""),
    ):
        load.upsert(
            Project,
            {"slug": slug},
            {
                "dialogue": bp,
                "parent": eu_project,
                "kind": kind,
                "title": title,
                "status": Project.Status.PLANNED,
                "description": description,
            },
        )

    step("framework and workplan")
    framework = load.upsert(
        CooperationFramework,
        {"dialogue": bp, "first_year": 2017, "last_year": 2021},
        {
            "title": "Cooperation and dialogue framework for the Budapest Process 2017-2021",
            "status": CooperationFramework.Status.PROPOSED,
            "presented_at": som24,
            "description": (
                "A comprehensive and holistic migration dialogue on the one hand and targeted "
                "ad-hoc cooperation on the other, mainly through a facility for demand-driven, "
                "needs-based short-term actions; an annual thematic focus and a thematic chair."
            ),
        },
    )
    load.upsert(
        FrameworkCadence,
        {"framework": framework, "meeting_kind": Meeting.Kind.SENIOR_OFFICIALS},
        {"per_year": 1},
    )
    load.upsert(
        FrameworkCadence,
        {"framework": framework, "meeting_kind": Meeting.Kind.WORKING_GROUP},
        {"per_year": 3},
    )
    workplan = load.upsert(
        Workplan,
        {"dialogue": bp, "year": 2017},
        {
            "title": "Work plan 2017",
            "framework": framework,
            "thematic_focus": focus_2017,
            "status": Workplan.Status.PRESENTED,
            "presented_at": som24,
        },
    )
    activities = [
        (
            "Training of trainers in Iraq and Afghanistan",
            "training",
            srpp,
            ["IQ", "AF"],
            ["icmpd"],
            None,
            "planned",
        ),
        (
            "Migration policy development in Afghanistan",
            "policy_development",
            srpp,
            ["AF"],
            ["icmpd"],
            None,
            "planned",
        ),
        (
            "Establishment of a Migration Information Centre in Afghanistan",
            "information_centre",
            srpp,
            ["AF"],
            ["icmpd"],
            None,
            "planned",
        ),
        (
            "Finalising the Migrant Resource Centres and information campaign in Pakistan",
            "awareness_raising",
            mrc,
            ["PK"],
            ["icmpd"],
            None,
            "ongoing",
        ),
        (
            "Finalising the Silk Routes - RELEC pilot",
            "pilot",
            relec,
            ["AF", "BD", "IR", "IQ", "PK", "TR"],
            ["icmpd"],
            None,
            "ongoing",
        ),
        (
            "Consultation meeting on a Ministerial Conference in 2018 (Istanbul)",
            "meeting",
            None,
            ["TR"],
            ["TR"],
            consultation,
            "planned",
        ),
        (
            "Decide on a contribution of the Budapest Process to the global compact for safe, "
            "orderly and regular migration",
            "other",
            None,
            [],
            ["TR", "icmpd"],
            None,
            "planned",
        ),
    ]
    for position, (title, kind, project, countries, responsible, realised_by, status) in enumerate(
        activities, start=1
    ):
        load.upsert(
            Activity,
            {"workplan": workplan, "position": position},
            {
                "title": title,
                "kind": kind,
                "project": project,
                "realised_by": realised_by,
                "status": status,
                "planned_start": D(2017, 1, 1),
                "planned_end": D(2017, 12, 31),
            },
            m2m={
                "countries": [p[c] for c in countries],
                "responsible": [p[c] for c in responsible],
            },
        )

    return demo_counts()


DEMO_MODELS = [
    Participant,
    ParticipantName,
    ExternalIdentifier,
    Dialogue,
    Membership,
    Region,
    RoleAssignment,
    WorkingGroup,
    Meeting,
    Delegation,
    AgendaItem,
    Statement,
    Conclusion,
    ActionPoint,
    Project,
    ProjectPartner,
    Site,
    CooperationFramework,
    FrameworkCadence,
    ThematicFocus,
    Workplan,
    Activity,
]


def demo_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in DEMO_MODELS}
