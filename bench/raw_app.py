"""The raw baseline: a minimal WSGI app answering the same JSON as the API's meetings list (a
page of 50) and meeting detail, straight from SQL with psycopg and orjson. No Django, no
framework, no access policy object, no throttling, no conditional GET: the best this stack
(gunicorn + PostgreSQL + Python) can do, to measure what the framework costs.

What an anonymous / `read:public` caller sees, as in the API: public meetings; the record
(agenda records, statements, conclusions, action points) only once published; published public
documents. bench/run_benchmarks.py checks that both answer the same data before timing them.

    DATABASE_URL=postgres://... gunicorn -c deploy/gunicorn.conf.py bench.raw_app:application
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import re
import unicodedata
import urllib.parse

import orjson
import psycopg

DATABASE_URL = os.environ["DATABASE_URL"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Vienna")
DETAIL = re.compile(r"^/api/v1/meetings/([0-9a-f-]{36})/$")
PAGE_SIZE = 50

LANGUAGES = ("en", "ru")
# A meeting's translated texts, as the API's translations block lists them.
MEETING_TEXTS = ("title", "topic", "city", "venue", "conclusions_intro", "data_note")


def read(alias: str, field: str) -> str:
    """A translated text in English, the other language where English has none (as the API
    reads it in English)."""
    return f"coalesce(nullif({alias}.{field}_en, ''), nullif({alias}.{field}_ru, ''), '')"


MEETING_FIELDS = f"""
    m.id, m.uid, d.uid AS dialogue, m.kind, wg.uid AS working_group, m.sequence_number,
    {read("m", "title")} AS title, m.slug, {read("m", "topic")} AS topic, m.start_date,
    m.end_date, {read("m", "city")} AS city, {read("m", "venue")} AS venue,
    hc.uid AS host_country, ch.uid AS chair, cc.uid AS co_chair, tf.uid AS thematic_focus,
    m.status, m.visibility, m.record_status, {read("m", "data_note")} AS data_note,
    m.calendar_sequence,
    m.created_at, m.updated_at, m.version, {read("m", "conclusions_intro")} AS conclusions_intro,
    m.authoritative_language, m.translated_from,
    {", ".join(f"m.{f}_{lang}" for f in MEETING_TEXTS for lang in LANGUAGES)}
"""
MEETING_JOINS = """
    FROM meetings_meeting m
    JOIN participants_dialogue d ON d.id = m.dialogue_id
    LEFT JOIN meetings_workinggroup wg ON wg.id = m.working_group_id
    LEFT JOIN participants_participant hc ON hc.id = m.host_country_id
    LEFT JOIN participants_participant ch ON ch.id = m.chair_id
    LEFT JOIN participants_participant cc ON cc.id = m.co_chair_id
    LEFT JOIN meetings_thematicfocus tf ON tf.id = m.thematic_focus_id
"""
# Participants in a many-to-many list, in the order the secretariat chose them.
PARTICIPANT_UIDS = """
    ARRAY(SELECT p.uid FROM {table} x JOIN participants_participant p ON p.id = x.participant_id
          WHERE x.{column} = {owner}.id ORDER BY x.position)
"""

_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    """One connection per worker process, reopened after a failure."""
    global _connection
    if _connection is None or _connection.closed or _connection.broken:
        _connection = psycopg.connect(DATABASE_URL, autocommit=True)
        _connection.execute(f"SET TIME ZONE '{TIME_ZONE}'")
    return _connection


def rows(sql: str, params=()) -> list[dict]:
    with connection().cursor(row_factory=psycopg.rows.dict_row) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def stamps(row: dict) -> dict:
    return {
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "version": row["version"],
    }


def meeting_summary(row: dict, base: str) -> dict:
    return {
        "id": str(row["uid"]),
        "dialogue": str(row["dialogue"]),
        "kind": row["kind"],
        "working_group": str(row["working_group"]) if row["working_group"] else None,
        "sequence_number": row["sequence_number"],
        "title": row["title"],
        "slug": row["slug"],
        "topic": row["topic"],
        "start_date": iso(row["start_date"]),
        "end_date": iso(row["end_date"]),
        "city": row["city"],
        "venue": row["venue"],
        "host_country": str(row["host_country"]) if row["host_country"] else None,
        "chair": str(row["chair"]) if row["chair"] else None,
        "co_chair": str(row["co_chair"]) if row["co_chair"] else None,
        "thematic_focus": str(row["thematic_focus"]) if row["thematic_focus"] else None,
        "status": row["status"],
        "visibility": row["visibility"],
        "record_status": row["record_status"],
        "data_note": row["data_note"],
        "calendar_sequence": row["calendar_sequence"],
        "page_url": f"{base}/meetings/{row['slug']}/",
        **stamps(row),
    }


def meetings_page(base: str, query: str) -> dict:
    total = rows("SELECT count(*) AS n FROM meetings_meeting WHERE visibility = 'public'")[0]["n"]
    page = rows(
        f"SELECT {MEETING_FIELDS} {MEETING_JOINS} WHERE m.visibility = 'public' "
        "ORDER BY m.updated_at, m.id LIMIT %s",
        (PAGE_SIZE + 1,),
    )
    url = f"{base}/api/v1/meetings/" + (f"?{query}" if query else "")
    links = {"self": url, "first": url}
    if len(page) > PAGE_SIZE:
        last = page[PAGE_SIZE - 1]
        stamp = last["updated_at"].astimezone(datetime.UTC).isoformat()
        cursor = base64.urlsafe_b64encode(f"{stamp}|{last['id']}".encode()).decode().rstrip("=")
        # The other parameters kept, sorted, as the API writes them.
        params = sorted({**urllib.parse.parse_qs(query), "cursor": [cursor]}.items())
        links["next"] = f"{base}/api/v1/meetings/?{urllib.parse.urlencode(params, doseq=True)}"
    data = []
    for row in page[:PAGE_SIZE]:
        item = meeting_summary(row, base)
        item["url"] = f"{base}/api/v1/meetings/{row['uid']}/"
        data.append(item)
    return {
        "data": data,
        "links": links,
        "pagination": {"total_elements": total, "elements_per_page": PAGE_SIZE},
    }


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


PROSE_NAMES = {
    "senior_officials": "Senior Officials meeting",
    "working_group": "Working Group meeting",
    "ministerial": "Ministerial Conference",
    "consultation": "consultation meeting",
    "thematic": "thematic meeting",
    "training": "training",
    "other": "meeting",
}


def attendance(meeting: dict) -> str:
    """The attendance paragraph: names in force on the meeting's date, states then
    organisations by sort name."""
    named = rows(
        """
        SELECT p.kind, d.headcount,
               coalesce(nullif(n.sort_name_en, ''), p.sort_name_en) AS sort_name,
               coalesce(nullif(n.prose_name_en, ''), nullif(n.name_en, ''), p.name_en) AS prose
        FROM meetings_delegation d
        JOIN participants_participant p ON p.id = d.participant_id
        LEFT JOIN LATERAL (
            SELECT * FROM participants_participantname pn
            WHERE pn.participant_id = p.id
              AND (pn.valid_from IS NULL OR pn.valid_from <= %(day)s)
              AND (pn.valid_to IS NULL OR %(day)s <= pn.valid_to)
            ORDER BY pn.valid_from NULLS FIRST LIMIT 1
        ) n ON true
        WHERE d.meeting_id = %(meeting)s
        """,
        {"day": meeting["start_date"], "meeting": meeting["id"]},
    )
    states = [
        r["prose"]
        for r in sorted(named, key=lambda r: r["sort_name"].casefold())
        if r["kind"] == "state"
    ]
    organisations = [
        r["prose"]
        for r in sorted(named, key=lambda r: r["sort_name"].casefold())
        if r["kind"] != "state"
    ]
    people = plural(sum(r["headcount"] for r in named), "participant", "participants")
    headline = f"{people} from {plural(len(states), 'country', 'countries')}" if states else people
    sentence = f"The {PROSE_NAMES[meeting['kind']]} gathered {headline}"
    if states:
        sentence += f" – {join_names(states)} –"
        if organisations:
            sentence += f" as well as {join_names(organisations)}"
    elif organisations:
        sentence += f" from {join_names(organisations)}"
    return sentence.rstrip(" –") + "."


def meeting_detail(base: str, uid: str) -> dict | None:
    found = rows(
        f"SELECT {MEETING_FIELDS} {MEETING_JOINS} WHERE m.uid = %s AND m.visibility = 'public'",
        (uid,),
    )
    if not found:
        return None
    meeting = found[0]
    published = meeting["record_status"] == "published"
    mid, muid = meeting["id"], str(meeting["uid"])
    api = f"{base}/api/v1"
    data = meeting_summary(meeting, base)
    data["conclusions_intro"] = meeting["conclusions_intro"]
    data["attendance"] = attendance(meeting)

    statements: dict[int, list] = {}
    if published:
        for s in rows(
            f"""SELECT s.*, {read("s", "text")} AS text_read, a.uid AS item_uid, {
                PARTICIPANT_UIDS.format(
                    table="meetings_statement_speakers", column="statement_id", owner="s"
                )
            } AS speakers
            FROM meetings_statement s JOIN meetings_agendaitem a ON a.id = s.agenda_item_id
            WHERE a.meeting_id = %s ORDER BY s.agenda_item_id, s.position""",
            (mid,),
        ):
            statements.setdefault(s["agenda_item_id"], []).append(
                {
                    "id": str(s["uid"]),
                    "agenda_item": str(s["item_uid"]),
                    "meeting": muid,
                    "position": s["position"],
                    "speakers": [str(u) for u in s["speakers"]],
                    "text": s["text_read"],
                    **stamps(s),
                    "url": f"{api}/statements/{s['uid']}/",
                }
            )
    data["agenda_items"] = [
        {
            "id": str(a["uid"]),
            "meeting": muid,
            "parent": str(a["parent_uid"]) if a["parent_uid"] else None,
            "position": a["position"],
            "title": a["title_read"],
            "session_label": a["session_label_read"],
            "day": a["day"],
            "start_time": iso(a["start_time"]),
            "end_time": iso(a["end_time"]),
            "presenters": [str(u) for u in a["presenters"]],
            "record": a["record_read"] if published else None,
            "statement_layout": a["statement_layout"],
            **stamps(a),
            "statements": statements.get(a["id"], []),
            "url": f"{api}/agenda-items/{a['uid']}/",
        }
        for a in rows(
            f"""SELECT a.*, parent.uid AS parent_uid, {read("a", "title")} AS title_read,
                {read("a", "session_label")} AS session_label_read,
                {read("a", "record")} AS record_read, {
                PARTICIPANT_UIDS.format(
                    table="meetings_agendaitem_presenters", column="agendaitem_id", owner="a"
                )
            }
                AS presenters
            FROM meetings_agendaitem a LEFT JOIN meetings_agendaitem parent ON parent.id = a.parent_id
            WHERE a.meeting_id = %s ORDER BY a.parent_id, a.position""",
            (mid,),
        )
    ]
    data["delegations"] = [
        {
            "id": str(d["uid"]),
            "meeting": muid,
            "participant": str(d["participant_uid"]),
            "headcount": d["headcount"],
            "headcount_is_illustrative": d["headcount_is_illustrative"],
            "headcount_note": d["headcount_note"],
            "role": d["role"],
            **stamps(d),
            "url": f"{api}/delegations/{d['uid']}/",
        }
        for d in rows(
            """SELECT d.*, p.uid AS participant_uid
            FROM meetings_delegation d JOIN participants_participant p ON p.id = d.participant_id
            WHERE d.meeting_id = %s ORDER BY p.kind, p.sort_name_en""",
            (mid,),
        )
    ]
    references: dict[int, list] = {}
    if published:
        for r in rows(
            """SELECT x.conclusion_id, x.relation, e.uid AS earlier_uid, em.uid AS meeting_uid
            FROM meetings_conclusionreference x
            JOIN meetings_conclusion c ON c.id = x.conclusion_id
            JOIN meetings_conclusion e ON e.id = x.earlier_id
            JOIN meetings_meeting em ON em.id = e.meeting_id
            WHERE c.meeting_id = %s AND em.visibility = 'public'
              AND em.record_status = 'published'
            ORDER BY x.conclusion_id, em.start_date, e.position""",
            (mid,),
        ):
            references.setdefault(r["conclusion_id"], []).append(
                {
                    "relation": r["relation"],
                    "conclusion": str(r["earlier_uid"]),
                    "meeting": str(r["meeting_uid"]),
                }
            )
    data["conclusions"] = (
        [
            {
                "id": str(c["uid"]),
                "meeting": muid,
                "position": c["position"],
                "kind": c["kind"],
                "text": c["text_read"],
                "references": references.get(c["id"], []),
                **stamps(c),
                "url": f"{api}/conclusions/{c['uid']}/",
            }
            for c in rows(
                f"SELECT *, {read('meetings_conclusion', 'text')} AS text_read "
                "FROM meetings_conclusion WHERE meeting_id = %s ORDER BY position",
                (mid,),
            )
        ]
        if published
        else []
    )
    data["action_points"] = (
        [
            {
                "id": str(p["uid"]),
                "meeting": muid,
                "position": p["position"],
                "text": p["text_read"],
                "responsible": [str(u) for u in p["responsible"]],
                "due_date": iso(p["due_date"]),
                "due_text": p["due_text_read"],
                "place": p["place"],
                "status": p["status"],
                # Named only when the caller may see that meeting (public, for this caller).
                "fulfilled_by": str(p["fulfilled_uid"]) if p["fulfilled_uid"] else None,
                **stamps(p),
                "url": f"{api}/action-points/{p['uid']}/",
            }
            for p in rows(
                f"""SELECT ap.*, {read("ap", "text")} AS text_read,
                    {read("ap", "due_text")} AS due_text_read,
                    CASE WHEN f.visibility = 'public' THEN f.uid END AS fulfilled_uid, {
                    PARTICIPANT_UIDS.format(
                        table="meetings_actionpoint_responsible",
                        column="actionpoint_id",
                        owner="ap",
                    )
                }
                    AS responsible
                FROM meetings_actionpoint ap LEFT JOIN meetings_meeting f ON f.id = ap.fulfilled_by_id
                WHERE ap.meeting_id = %s ORDER BY ap.position""",
                (mid,),
            )
        ]
        if published
        else []
    )
    # Published public documents; the demo meeting has none, so their shape is not mirrored
    # field by field (run_benchmarks.py checks the two answers are equal).
    data["documents"] = [
        {"id": str(doc["uid"])}
        for doc in rows(
            "SELECT uid FROM meetings_document WHERE meeting_id = %s AND visibility = 'public' "
            "AND published_at IS NOT NULL ORDER BY kind, revision DESC",
            (mid,),
        )
    ]
    data["url"] = f"{api}/meetings/{muid}/"
    data["language"] = "en"
    data["authoritative_language"] = meeting["authoritative_language"]
    data["translations"] = translations(meeting)
    return data


def text_digest(text) -> str:
    """bpdialogue.translations.text_digest, restated: line endings, trailing spaces and the
    Unicode form do not change what a translator translated."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def translations(meeting: dict) -> dict:
    """Every translated text of the meeting in each language, with its status: the original,
    missing, current (translated from the original as it reads now) or outdated."""
    source = meeting["authoritative_language"]
    recorded = meeting["translated_from"] or {}
    block = {}
    for field in MEETING_TEXTS:
        original = meeting[f"{field}_{source}"] or ""
        block[field] = {}
        for lang in LANGUAGES:
            text = meeting[f"{field}_{lang}"] or ""
            if lang == source:
                status = "original"
            elif not text.strip():
                status = "current" if not original.strip() else "missing"
            else:
                digest = (recorded.get(field) or {}).get(lang)
                status = "current" if digest == text_digest(original) else "outdated"
            block[field][lang] = {"text": text, "status": status}
    return block


def application(environ, start_response):
    base = f"http://{environ.get('HTTP_HOST', 'localhost')}"
    path, query = environ.get("PATH_INFO", "/"), environ.get("QUERY_STRING", "")
    if path == "/api/v1/meetings/":
        body, status = meetings_page(base, query), "200 OK"
    elif match := DETAIL.match(path):
        body = meeting_detail(base, match.group(1))
        status = "200 OK" if body is not None else "404 Not Found"
        body = body if body is not None else {"error": {"status": 404}}
    else:
        body, status = {"error": {"status": 404}}, "404 Not Found"
    payload = orjson.dumps(body)
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]
