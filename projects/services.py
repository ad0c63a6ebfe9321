"""Writes about projects: the project tree, its partners and its sites."""

from __future__ import annotations

from django.db import transaction

from bpdialogue.services import versioned_delete, versioned_update

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


@transaction.atomic
def project_create(*, by=None, **fields) -> Project:
    many = {n: fields.pop(n) for n in list(fields) if Project._meta.get_field(n).many_to_many}
    project = Project(**fields)
    project.full_clean()
    project.save()
    for name, value in many.items():
        getattr(project, name).set(value)
    return project


@transaction.atomic
def project_partner_add(*, project: Project, by=None, **fields) -> ProjectPartner:
    partner = ProjectPartner(project=project, **fields)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def site_add(*, project: Project, by=None, **fields) -> Site:
    site = Site(project=project, **fields)
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def project_part_delete(
    *, part: ProjectPartner | Site, expected_version: int | None = None, by=None
) -> None:
    versioned_delete(instance=part, expected_version=expected_version, by=by)
