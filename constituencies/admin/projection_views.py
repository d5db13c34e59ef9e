"""Admin views: upload poll projections (form, preview, confirm, cancel), as for results.

Thin: the work is ProjectionImporter's (imports/projections.py, shared with manage.py import_projections):
the preview is its dry run, Confirm its run. Files wait between the two in imports.uploads.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path

from constituencies.admin.forms import ProjectionUploadForm
from constituencies.admin.permissions import ImportPermissionMixin
from constituencies.admin.views import AdminPageMixin, problems_shown, with_memory_uploads
from constituencies.imports.projections import (
    ProjectionImporter,
    ProjectionImportSummary,
    ProjectionsChangedError,
    ProjectionUpload,
)
from constituencies.imports.uploads import PendingUploads, UploadNoLongerWaiting
from constituencies.models import PendingUpload
from constituencies.rules.explain import counted
from constituencies.rules.files import ImportFileError, Problem

TEMPLATES = "admin/constituencies/pollprojection/"
NO_LONGER_WAITING = "That upload is no longer waiting (already applied or cancelled, or over an hour old): nothing was written."


def dry_run(upload: ProjectionUpload) -> tuple[ProjectionImportSummary | None, list[Problem]]:
    """The import run and rolled back: what it would do, or every problem that refuses it."""
    try:
        return ProjectionImporter(upload).run(dry_run=True), []
    except ImportFileError as exc:
        return None, exc.problems
    except DataError as exc:  # a value the checks let through but the database refuses
        return None, [Problem(upload.file_name, f"the database refused a value in it: {exc}")]
    except IntegrityError:  # a party it would create was created by another import at the same moment
        return None, [
            Problem(upload.file_name, "another import changed the parties at the same moment; try again")
        ]


class ProjectionImportAdminMixin(ImportPermissionMixin, AdminPageMixin):
    """Added to PollProjectionAdmin: /admin/constituencies/pollprojection/upload/..."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", with_memory_uploads(wrap(self.upload_view)), name=self._url_name("upload")),
            path(
                "upload/<str:token>/", wrap(self.upload_preview_view), name=self._url_name("upload_preview")
            ),
            path(
                "upload/<str:token>/confirm/",
                wrap(self.upload_confirm_view),
                name=self._url_name("upload_confirm"),
            ),
            path(
                "upload/<str:token>/cancel/",
                wrap(self.upload_cancel_view),
                name=self._url_name("upload_cancel"),
            ),
            *super().get_urls(),
        ]

    def _store(self, request) -> PendingUploads:
        """The user's projections files waiting for confirmation; PermissionDenied without the permission."""
        if not self.has_import_permission(request):
            raise PermissionDenied("You need the \u201cCan upload and apply results files\u201d permission.")
        return PendingUploads(request.user, PendingUpload.Kind.PROJECTIONS)

    def _render(self, request, template: str, title: str, **extra):
        context = self._page_context(
            request, title, max_upload=filesizeformat(settings.SEATFINDER_MAX_UPLOAD_BYTES), **extra
        )
        return TemplateResponse(request, TEMPLATES + template, context)

    def upload_view(self, request):
        store = self._store(request)
        problems: list[Problem] = []
        if request.method == "POST":
            form = ProjectionUploadForm(
                request.POST, request.FILES, too_large=getattr(request, "uploads_too_large", {})
            )
            if form.is_valid():
                upload = form.upload()
                summary, problems = dry_run(upload)
                if summary is not None:
                    return redirect(self._url("upload_preview", store.add_projections(upload)))
        else:
            form = ProjectionUploadForm()
        return self._render(
            request,
            "upload_form.html",
            "Upload poll projections",
            form=form,
            media=self.media + form.media,
            **problems_shown(problems),
        )

    def upload_preview_view(self, request, token):
        pending = self._store(request).get(token)
        if pending is None:
            messages.error(request, NO_LONGER_WAITING)
            return redirect(self._url("upload"))
        summary, problems = dry_run(pending.upload)
        return self._render(
            request,
            "upload_preview.html",
            f"Preview: {pending.upload.file_name}",
            pending=pending,
            summary=summary,
            **problems_shown(problems),
        )

    def upload_confirm_view(self, request, token):
        store = self._store(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        pending = store.get(token)
        if pending is None:
            messages.error(request, NO_LONGER_WAITING)
            return redirect(self._url("upload"))
        if request.POST.get("checksum") != pending.upload.checksum:
            messages.error(
                request,
                "Nothing was imported: the file waiting is not the one this preview showed (its SHA-256 "
                "differs). Check the preview again.",
            )
            return redirect(self._url("upload_preview", token))
        try:
            summary = ProjectionImporter(pending.upload).run(
                user=request.user,
                source="admin",
                expect_state=request.POST.get("state", ""),
                claim=lambda: store.claim(token),
            )
        except UploadNoLongerWaiting:
            messages.error(request, NO_LONGER_WAITING)
            return redirect(self._url("upload"))
        except ProjectionsChangedError as exc:
            messages.warning(request, str(exc))
            return redirect(self._url("upload_preview", token))
        except ImportFileError as exc:
            messages.error(request, f"Nothing was imported. {exc.summary()}")
            return redirect(self._url("upload_preview", token))
        except DataError as exc:
            messages.error(request, f"Nothing was imported: the database refused a value in it: {exc}")
            return redirect(self._url("upload_preview", token))
        except IntegrityError:
            messages.error(
                request,
                "Nothing was imported: another import changed the parties at the same moment. "
                "Check the preview again.",
            )
            return redirect(self._url("upload_preview", token))
        replaced = sum(source.replaced for source in summary.sources)
        messages.success(
            request,
            f"Imported {summary.file_name}: {counted(len(summary.sources), 'projection')} "
            f"({replaced} replaced), {counted(summary.seats_covered, 'seat')} on the "
            f"{summary.boundary_set} boundaries.",
        )
        return redirect(self._url("changelist"))

    def upload_cancel_view(self, request, token):
        store = self._store(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        store.discard(token)
        messages.info(request, "Upload cancelled: nothing was written.")
        return redirect(self._url("changelist"))
