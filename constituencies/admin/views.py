"""Admin views: upload results (form, preview, confirm, cancel) and edit the party blocs.

Thin: the work is done by imports.service (shared with manage.py import_results), imports.uploads
(memory-only upload handler, previewed files waiting in the database) and seats.blocs.
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
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from constituencies.admin.forms import BlocsForm, ResultsUploadForm
from constituencies.admin.permissions import ImportPermissionMixin
from constituencies.imports.results import ResultsChangedError
from constituencies.imports.service import apply_import, check_upload, preview_import, report
from constituencies.imports.uploads import (
    MemoryUploadHandler,
    PendingUploadError,
    PendingUploads,
    UploadNoLongerWaiting,
)
from constituencies.models import Party, ResultsImport
from constituencies.rules.explain import counted
from constituencies.rules.files import MAX_PROBLEMS_SHOWN, ImportFileError, Problem
from constituencies.seats.blocs import change_blocs

MERGE_PARTY_FIELD = "merge_party_"  # + a new party's code: the known party's code it is instead, on confirm


def problems_shown(problems: list[Problem]) -> dict:
    """The first problems for the page, and how many more there are."""
    return {
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
    }


def with_memory_uploads(view):
    """Read uploads into memory, up to the size limit, before anything touches request.POST.

    Django checks CSRF in its middleware by reading request.POST, after which the upload
    handlers cannot be changed; so this wrapper is exempt from the middleware's check and
    the admin view inside it (AdminSite.admin_view adds csrf_protect) does the check instead.
    """

    def wrapper(request, *args, **kwargs):
        request.upload_handlers = [MemoryUploadHandler(request, settings.SEATFINDER_MAX_UPLOAD_BYTES)]
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


class AdminPageMixin:
    """Extra pages on a ModelAdmin: their URL names and the context every admin page needs."""

    def _url_name(self, name: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{name}"

    def _url(self, name: str, *args) -> str:
        return reverse(f"admin:{self._url_name(name)}", args=args)

    def _page_context(self, request, title: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}


class ResultsImportAdminMixin(ImportPermissionMixin, AdminPageMixin):
    """Added to ElectionAdmin: /admin/constituencies/election/import/..."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", with_memory_uploads(wrap(self.import_view)), name=self._url_name("import")),
            path(
                "import/<str:token>/", wrap(self.import_preview_view), name=self._url_name("import_preview")
            ),
            path(
                "import/<str:token>/confirm/",
                wrap(self.import_confirm_view),
                name=self._url_name("import_confirm"),
            ),
            path(
                "import/<str:token>/cancel/",
                wrap(self.import_cancel_view),
                name=self._url_name("import_cancel"),
            ),
            *super().get_urls(),
        ]

    def _require_import_permission(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied("You need the \u201cCan upload and apply results files\u201d permission.")

    def _context(self, request, title, **extra):
        return self._page_context(
            request,
            title,
            has_view_permission=self.has_view_permission(request),
            max_upload=filesizeformat(settings.SEATFINDER_MAX_UPLOAD_BYTES),
            **extra,
        )

    def import_view(self, request):
        self._require_import_permission(request)
        problems: list[Problem] = []
        if request.method == "POST":
            form = ResultsUploadForm(
                request.POST, request.FILES, too_large=getattr(request, "uploads_too_large", {})
            )
            if form.is_valid():
                upload = form.upload()
                try:
                    check_upload(upload, form.target_election())
                except ImportFileError as exc:
                    problems = exc.problems
                else:
                    token = PendingUploads(request.user).add(
                        upload, form.cleaned_data.get("election"), form.new_election_spec()
                    )
                    return redirect(self._url("import_preview", token))
        else:
            form = ResultsUploadForm(initial={"election": request.GET.get("election")})
        context = self._context(
            request,
            "Import results",
            form=form,
            **problems_shown(problems),
        )
        return TemplateResponse(
            request, "admin/constituencies/election/import_form.html", context, status=200
        )

    def import_preview_view(self, request, token):
        self._require_import_permission(request)
        pending = PendingUploads(request.user).get(token)
        if pending is None:
            messages.error(
                request,
                "That upload is no longer waiting: it was applied or cancelled, is over an hour old, or its "
                "election was deleted.",
            )
            return redirect(self._url("import"))
        problems, outcome, election = [], None, None
        try:
            election = pending.election()
            outcome = preview_import(pending.upload, election)
        except PendingUploadError as exc:
            problems = [Problem(pending.upload.file_name, str(exc))]
        except ImportFileError as exc:
            problems = exc.problems
        except DataError as exc:  # a value the checks let through but the database refuses
            problems = [Problem(pending.upload.file_name, f"the database refused a value in it: {exc}")]
        context = self._context(
            request,
            f"Preview: {pending.upload.file_name}",
            pending=pending,
            election=election,
            outcome=outcome,
            summary=outcome.summary if outcome else None,
            report=report(outcome.summary) if outcome else None,
            merge_parties_url=reverse("admin:constituencies_party_changelist"),
            known_parties=Party.objects.order_by("name").only("code", "name") if outcome else (),
            **problems_shown(problems),
        )
        return TemplateResponse(request, "admin/constituencies/election/import_preview.html", context)

    def import_confirm_view(self, request, token):
        self._require_import_permission(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        store = PendingUploads(request.user)
        pending = store.get(token)
        if pending is None:
            return self._no_longer_waiting(request)
        try:
            outcome = apply_import(
                pending.upload,
                pending.election(),
                source=ResultsImport.Source.ADMIN,
                user=request.user,
                expect_state=request.POST.get("state", ""),
                # Taken in the import's transaction: a double-clicked Confirm applies the file once.
                claim=lambda: store.claim(token),
                replace_candidates=request.POST.get("replace_candidates") == "on",
                merge_new_parties={
                    key.removeprefix(MERGE_PARTY_FIELD): value
                    for key, value in request.POST.items()
                    if key.startswith(MERGE_PARTY_FIELD) and value
                },
            )
        except UploadNoLongerWaiting:
            return self._no_longer_waiting(request)
        except ResultsChangedError as exc:
            messages.warning(request, str(exc))
            return redirect(self._url("import_preview", token))
        except (PendingUploadError, ImportFileError, DataError) as exc:
            messages.error(request, f"Nothing was imported. {exc}")
            return redirect(self._url("import_preview", token))
        except IntegrityError:
            messages.error(
                request,
                "Nothing was imported: the election was created by someone else at the same moment. "
                "Check the preview again.",
            )
            return redirect(self._url("import_preview", token))
        record, summary = outcome.record, outcome.summary
        messages.success(
            request,
            f"Imported {record.file_name} into {summary.election}: {counted(summary.seats, 'seat')} in the file, "
            f"{record.seats_changed} changed, {counted(record.winner_changes, 'winner change')}, "
            f"{counted(summary.assessments, 'seat')} assessed.",
        )
        return redirect(reverse("admin:constituencies_resultsimport_change", args=[record.pk]))

    def _no_longer_waiting(self, request):
        messages.error(
            request,
            "That upload is no longer waiting (already applied or cancelled, over an hour old, or its "
            "election deleted): nothing was written.",
        )
        return redirect(self._url("import"))

    def import_cancel_view(self, request, token):
        self._require_import_permission(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        PendingUploads(request.user).discard(token)
        messages.info(request, "Import cancelled: nothing was written.")
        return redirect(self._url("changelist"))


class BlocsAdminMixin(AdminPageMixin):
    """Added to PartyAdmin: /admin/constituencies/party/blocs/"""

    def get_urls(self):
        return [
            path("blocs/", self.admin_site.admin_view(self.blocs_view), name=self._url_name("blocs")),
            *super().get_urls(),
        ]

    def blocs_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        parties = Party.objects.order_by("name")
        if request.method == "POST":
            form = BlocsForm(request.POST)
            if form.is_valid():
                change = change_blocs(form.new_blocs(), user=request.user, note=form.cleaned_data["note"])
                if change is None:
                    messages.info(request, "No party changed bloc; nothing was recomputed.")
                else:
                    messages.success(request, f"Party blocs saved. {change}")
                return redirect(self._url("changelist"))
        else:
            form = BlocsForm(
                initial={
                    "progressive": parties.filter(bloc=Party.Bloc.PROGRESSIVE),
                    "target": parties.filter(bloc=Party.Bloc.TARGET),
                }
            )
        context = self._page_context(
            request, "Edit the party blocs", form=form, media=self.media + form.media
        )
        return TemplateResponse(request, "admin/constituencies/party/blocs_form.html", context)
