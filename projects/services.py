"""Writes about projects: the project tree, its partners and its sites."""

from __future__ import annotations

from django.db import transaction

from bpdialogue.services import validated_create, versioned_delete, versioned_update

from .models import Project, ProjectPartner, Site


@transaction.atomic
def project_part_update(
    *, part: Project | ProjectPartner | Site, expected_version: int, changes: dict, by=None
):
    """Change a project, one of its partners or one of its sites, unless someone saved a newer
    version meanwhile."""
    return versioned_update(
        instance=part, expected_version=expected_version, changes=changes, by=by
    )


def project_create(*, by=None, **fields) -> Project:
    return validated_create(model=Project, by=by, **fields)


def project_partner_add(*, project: Project, by=None, **fields) -> ProjectPartner:
    return validated_create(model=ProjectPartner, by=by, project=project, **fields)


def site_add(*, project: Project, by=None, **fields) -> Site:
    return validated_create(model=Site, by=by, project=project, **fields)


@transaction.atomic
def project_part_delete(
    *, part: ProjectPartner | Site, expected_version: int | None = None, by=None
) -> None:
    versioned_delete(instance=part, expected_version=expected_version, by=by)
