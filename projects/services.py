"""Writes about projects: the project tree, its partners and its sites."""

from __future__ import annotations

from django.db import transaction

from bpdialogue.events import event_emit
from bpdialogue.models import WebhookEvent
from bpdialogue.services import validated_create, versioned_delete, versioned_update

from .models import Project, ProjectPartner, Site


@transaction.atomic
def project_part_update(
    *, part: Project | ProjectPartner | Site, expected_version: int, changes: dict, by=None
):
    """Change a project, one of its partners or one of its sites, unless someone saved a newer
    version meanwhile."""
    _project_changed(part)
    return versioned_update(
        instance=part, expected_version=expected_version, changes=changes, by=by
    )


def _project_changed(part: Project | ProjectPartner | Site) -> None:
    # Partners and sites are part of the project as the API gives it; their changes are the
    # project's. Announced once committed: a refused change announces nothing.
    event_emit(WebhookEvent.PROJECT_UPDATED, part if isinstance(part, Project) else part.project)


def project_create(*, by=None, **fields) -> Project:
    return validated_create(model=Project, by=by, **fields)


def project_partner_add(*, project: Project, by=None, **fields) -> ProjectPartner:
    _project_changed(project)
    return validated_create(model=ProjectPartner, by=by, project=project, **fields)


def site_add(*, project: Project, by=None, **fields) -> Site:
    _project_changed(project)
    return validated_create(model=Site, by=by, project=project, **fields)


@transaction.atomic
def project_part_delete(
    *, part: ProjectPartner | Site, expected_version: int | None = None, by=None
) -> None:
    _project_changed(part)
    versioned_delete(instance=part, expected_version=expected_version, by=by)
