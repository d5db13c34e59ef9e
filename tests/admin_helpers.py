"""Helpers for the admin upload tests: files to upload, the import pages' URLs and the form's data."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from constituencies.models import BoundarySet, Election


def upload(name, content, content_type="text/csv"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type=content_type)


def import_url(name="import", *args):
    return reverse(f"admin:constituencies_election_{name}", args=args)


def new_by_election(**overrides):
    data = {
        "election": "",
        "new_name": "2021 Batley and Spen by-election",
        "new_slug": "by-batley-and-spen-2021",
        "new_date": "2021-07-01",
        "new_kind": Election.Kind.BY_ELECTION,
        "new_boundary_set": BoundarySet.objects.get(code="2010").pk,
        "layout": "",
    }
    data.update(overrides)
    return data


def existing(election, **overrides):
    data = {"election": election.pk, "layout": ""}
    data.update(overrides)
    return data
