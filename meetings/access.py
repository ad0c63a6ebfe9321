"""Fetch and authorise in one call (as Zulip's `access_*` helpers do): each returns the object
if the viewer may know it exists, and raises Http404 otherwise, so a view never holds an
object it has not checked."""

from __future__ import annotations

from django.http import Http404

from bpdialogue.access import policy_for

from .models import Document, Meeting, RenderJob


def access_meeting(*, viewer, slug: str) -> Meeting:
    meeting = Meeting.objects.visible_to(viewer).with_relations().filter(slug=slug).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def access_document(*, viewer, uid) -> Document:
    document = Document.objects.select_related("meeting", "project").filter(uid=uid).first()
    if document is None or not policy_for(viewer).can_see_document(document):
        raise Http404("No such document.")
    return document


def access_render_job(*, viewer, uid) -> RenderJob:
    job = RenderJob.objects.select_related("document", "meeting").filter(uid=uid).first()
    if job is None or not policy_for(viewer).can_see_render_job(job):
        raise Http404("No such render job.")
    return job
