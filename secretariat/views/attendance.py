"""Who came to a meeting: the attendance grid, saved whole or one row at a time."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from bpdialogue.models import VersionConflict
from meetings import services as meeting_services
from meetings.models import Registration
from meetings.registrations import (
    registration_confirm,
    registration_decline,
    registration_nominate,
)
from meetings.selectors import (
    meeting_attendance,
    meeting_registrations_by_participant,
    registration_order,
)

from .. import forms, selectors
from ..access import secretariat_only
from ..editing import apply_errors, changes_between, conflict_with
from ..parts import meeting_tab
from .common import is_htmx, render_tab, workspace_meeting


def _attendance_rows(meeting, data=None):
    """One form per participant of the grid (see `selectors.attendance_candidates`), with its
    registrations: the confirmed ones are the delegation's members."""
    participants, delegations = selectors.attendance_candidates(meeting=meeting)
    registrations = meeting_registrations_by_participant(meeting=meeting)
    rows = []
    for participant in participants:
        delegation = delegations.get(participant.pk)
        initial = (
            {
                "attended": True,
                "headcount": delegation.headcount,
                "headcount_note": delegation.headcount_note,
                "role": delegation.role,
                "version": delegation.version,
            }
            if delegation
            else {}
        )
        form = forms.AttendanceRowForm(data, prefix=f"p{participant.pk}", initial=initial)
        rows.append(
            {
                "participant": participant,
                "name": participant.name_on(meeting.start_date).name,
                "form": form,
                "delegation": delegation,
                "registrations": registrations.get(participant.pk, []),
                "members": [
                    r
                    for r in registrations.get(participant.pk, ())
                    if r.status == Registration.Status.CONFIRMED
                ],
            }
        )
    return rows


def _nominations(rows) -> list[dict]:
    """Every registration on the grid's rows, awaiting a decision first, each with its form."""
    nominations = [
        {
            "registration": registration,
            "participant_name": row["name"],
            "form": forms.RegistrationDecisionForm(
                prefix=f"r{registration.pk}", initial={"version": registration.version}
            ),
        }
        for row in rows
        for registration in row["registrations"]
    ]
    return sorted(nominations, key=lambda n: registration_order(n["registration"])[:1])


def _save_attendance_row(meeting, row, by) -> bool:
    """Save one row if it was changed. False when it is refused: its form then holds the
    errors, or, when someone saved the row since it was shown, the row is marked stale."""
    form = row["form"]
    if not form.is_valid():
        return False
    if not set(form.changed_data) - {"version"}:
        return True
    data = form.cleaned_data
    try:
        meeting_services.delegation_save(
            meeting=meeting,
            participant=row["participant"],
            expected_version=data["version"],
            by=by,
            attended=data["attended"],
            headcount=data["headcount"],
            role=data["role"],
            headcount_note=data["headcount_note"],
        )
    except VersionConflict:
        row["stale"] = True
        return False
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


def _attendance_conflict(meeting, row, yours):
    """What the stored row (`row`, fresh from the database) says against `yours`, the form
    that came back stale, and who saved it last."""
    stored = row["delegation"] or selectors.delegation_removed(
        meeting=meeting, participant=row["participant"]
    )
    theirs = {name: row["form"][name].value() for name in row["form"].fields}
    return conflict_with(stored, changes_between(yours, theirs))


def _attendance_after_save(meeting, refused: dict) -> list:
    """The grid as stored now, except the rows in `refused` (by participant id): a row with
    errors keeps its input, a stale row shows what is stored with the conflict."""
    rows = []
    for row in _attendance_rows(meeting):
        failed = refused.get(row["participant"].pk)
        if failed is None:
            rows.append(row)
        elif failed.get("stale"):
            rows.append({**row, "conflict": _attendance_conflict(meeting, row, failed["form"])})
        else:
            rows.append(failed)
    return rows


def _attendance_status(rows) -> int:
    return 409 if any(row.get("conflict") for row in rows) else 400


@secretariat_only
def meeting_attendance_grid(request, slug):
    meeting = workspace_meeting(slug)
    if request.method != "POST":
        rows = _attendance_rows(meeting)
        context = {
            "rows": rows,
            "nominations": _nominations(rows),
            "nominate_form": forms.SecretariatNominationForm(rows=rows),
            "attendance": meeting_attendance(meeting=meeting),
        }
        return render_tab(request, meeting, "attendance", context)
    refused = {
        row["participant"].pk: row
        for row in _attendance_rows(meeting, request.POST)
        if not _save_attendance_row(meeting, row, request.user)
    }
    if not refused:
        messages.success(request, gettext("Attendance saved."))
        return redirect(meeting_tab(meeting, "attendance"))
    rows = _attendance_after_save(meeting, refused)
    context = {
        "rows": rows,
        "nominations": _nominations(rows),
        "nominate_form": forms.SecretariatNominationForm(rows=rows),
        "attendance": meeting_attendance(meeting=meeting),
    }
    return render_tab(request, meeting, "attendance", context, _attendance_status(rows))


@secretariat_only
@require_POST
def meeting_attendance_row(request, slug, participant_id):
    """One ticked box or changed headcount, saved at once; answers with the row and the
    new totals."""
    meeting = workspace_meeting(slug)
    rows = [
        r for r in _attendance_rows(meeting, request.POST) if r["participant"].pk == participant_id
    ]
    if not rows:
        raise Http404("Not a participant of this meeting's dialogue.")
    ok = _save_attendance_row(meeting, rows[0], request.user)
    refused = {} if ok else {participant_id: rows[0]}
    # A participant outside the dialogue whose delegation was just removed has no row left.
    row = next(
        (
            r
            for r in _attendance_after_save(meeting, refused)
            if r["participant"].pk == participant_id
        ),
        rows[0],
    )
    if not is_htmx(request):
        return redirect(meeting_tab(meeting, "attendance"))
    return render(
        request,
        "secretariat/_attendance_row.html",
        {
            "row": row,
            "meeting": meeting,
            "attendance": meeting_attendance(meeting=meeting),
            "oob": True,
        },
        status=200 if ok else _attendance_status([row]),
    )


@secretariat_only
@require_POST
def registration_decide(request, slug, uid):
    """Confirm or decline one nomination from the attendance tab."""
    meeting = workspace_meeting(slug)
    registration = get_object_or_404(
        Registration.objects.select_related("person", "participant"), meeting=meeting, uid=uid
    )
    form = forms.RegistrationDecisionForm(request.POST, prefix=f"r{registration.pk}")
    if not form.is_valid():
        messages.error(request, gettext("Choose confirm or decline."))
        return redirect(meeting_tab(meeting, "attendance"))
    decide = (
        registration_confirm if form.cleaned_data["decision"] == "confirm" else registration_decline
    )
    try:
        decide(
            registration=registration,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except VersionConflict:
        messages.error(
            request,
            gettext("%(person)s was decided by someone else meanwhile: see below.")
            % {"person": registration.person},
        )
    except ValidationError as error:
        messages.error(request, f"{registration.person}: {' '.join(error.messages)}")
    else:
        done = (
            gettext("%(person)s confirmed for %(participant)s.")
            if decide is registration_confirm
            else gettext("%(person)s declined for %(participant)s.")
        )
        names = {"person": registration.person, "participant": registration.participant}
        messages.success(request, done % names)
    return redirect(meeting_tab(meeting, "attendance") + f"#registration-{registration.uid}")


@secretariat_only
def registration_add(request, slug):
    """The secretariat registers someone on file, whatever the deadline; the nomination then
    waits for its decision like the others. A refused one shows the tab with the reason."""
    meeting = workspace_meeting(slug)
    rows = _attendance_rows(meeting)
    form = forms.SecretariatNominationForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        participant = next(
            r["participant"]
            for r in rows
            if r["participant"].pk == form.cleaned_data["participant"]
        )
        try:
            registration = registration_nominate(
                meeting=meeting,
                participant=participant,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
                position=form.cleaned_data["position"],
                by=request.user,
                by_secretariat=True,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(person)s nominated for %(participant)s.")
                % {"person": registration.person, "participant": participant},
            )
            return redirect(meeting_tab(meeting, "attendance") + "#nominations")
    if request.method != "POST":
        return redirect(meeting_tab(meeting, "attendance"))
    context = {
        "rows": rows,
        "nominations": _nominations(rows),
        "nominate_form": form,
        "attendance": meeting_attendance(meeting=meeting),
    }
    return render_tab(request, meeting, "attendance", context, 400)
