"""Receiving an uploaded results or projections file in the admin, and keeping it between preview and confirm.

- `MemoryUploadHandler` reads the upload into memory and stops at SEATFINDER_MAX_UPLOAD_BYTES, so an
  uploaded file never touches the disk (Django's default handler spools files over 2.5 MB to /tmp).
- `PendingUploads` keeps a previewed file, compressed, in the PendingUpload table until it is confirmed,
  cancelled or an hour old, at most three per admin and kind. Every upload, preview, confirm or cancel first
  deletes everyone's files over an hour old, so an abandoned file lasts until the next import activity.
  Results and projections wait apart (`kind`): a token of one is unknown to the other's pages.
  Only SEATFINDER_UPLOAD_ARCHIVE_DIR keeps a copy of applied files on disk.
"""

from __future__ import annotations

import secrets
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.utils import timezone

from constituencies.imports.projections import ProjectionUpload
from constituencies.imports.service import ResultsUpload
from constituencies.models import BoundarySet, Election, PendingUpload

PENDING_LIFETIME = timedelta(hours=1)
MAX_PENDING_PER_USER = 3


class MemoryUploadHandler(FileUploadHandler):
    """Keep uploaded files in memory; skip any file over the limit and note it on the request."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        request.uploads_too_large = {}

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.request.uploads_too_large[self.field_name] = self.file_name
            raise SkipFile()
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class PendingUploadError(Exception):
    """The previewed upload can no longer be applied as it was; the message says why."""


class UploadNoLongerWaiting(Exception):
    """The upload was applied, cancelled or deleted since it was read: there is nothing to confirm."""


@dataclass
class PendingImport:
    """A previewed file waiting to be confirmed: the upload, and the election to import it into."""

    token: str
    upload: ResultsUpload
    created_at: datetime
    election_id: int | None = None
    new_election: dict | None = None  # slug, name, date (ISO), kind, boundary_set_id

    def election(self) -> Election:
        """The election to import into: the chosen one, fresh from the database, or a new unsaved one."""
        if self.election_id is not None:
            election = Election.objects.select_related("boundary_set").filter(pk=self.election_id).first()
            if election is None:
                raise PendingUploadError(
                    "The election chosen for this file has been deleted since the preview. Upload it again."
                )
            return election
        spec = self.new_election or {}
        if Election.objects.filter(slug=spec.get("slug")).exists():
            raise PendingUploadError(
                f"An election with the slug \u201c{spec.get('slug')}\u201d has been created since this file "
                "was uploaded. Upload it again and choose that election, or pick another slug."
            )
        boundary_set = BoundarySet.objects.filter(pk=spec.get("boundary_set_id")).first()
        if boundary_set is None:
            raise PendingUploadError("The boundary set chosen for the new election no longer exists.")
        return Election(
            slug=spec["slug"],
            name=spec["name"],
            date=date.fromisoformat(spec["date"]),
            kind=spec["kind"],
            boundary_set=boundary_set,
        )

    @property
    def is_new_election(self) -> bool:
        return self.election_id is None


@dataclass
class PendingProjections:
    """A previewed projections file waiting to be confirmed."""

    token: str
    upload: ProjectionUpload
    created_at: datetime


def pack(data: bytes | None) -> bytes | None:
    return None if data is None else zlib.compress(data, 6)


def unpack(data: bytes | memoryview | None) -> bytes | None:
    return None if data is None else zlib.decompress(data)


def forget_expired_uploads() -> int:
    """Delete every admin's waiting files over PENDING_LIFETIME old; returns how many."""
    deleted, _ = PendingUpload.objects.filter(created_at__lte=timezone.now() - PENDING_LIFETIME).delete()
    return deleted


class PendingUploads:
    """One admin's uploads waiting for confirmation, keyed by a random token."""

    def __init__(self, user, kind: str = PendingUpload.Kind.RESULTS):
        self.user = user
        self.kind = kind

    def _mine(self):
        # Whoever is importing also clears what anyone abandoned: one indexed DELETE, usually of nothing.
        forget_expired_uploads()
        return PendingUpload.objects.filter(user=self.user, kind=self.kind)

    def add(self, upload: ResultsUpload, election: Election | None, new_election: dict | None) -> str:
        return self._add(
            file_name=upload.file_name,
            checksum=upload.checksum,
            data=pack(upload.data),
            layout_name=upload.layout_name or "",
            candidates_name=upload.candidates_name,
            candidates_data=pack(upload.candidates_data),
            election=election,
            new_election=new_election,
        )

    def add_projections(self, upload: ProjectionUpload) -> str:
        short_name, short_data = upload.short_codes or ("", None)
        return self._add(
            file_name=upload.file_name,
            checksum=upload.checksum,
            data=pack(upload.data),
            candidates_name=short_name,
            candidates_data=pack(short_data),
            projection_options={
                "name": upload.name,
                "publisher": upload.publisher,
                "date": upload.date.isoformat(),
                "is_average": upload.is_average,
                "boundaries": upload.boundaries,
            },
        )

    def _add(self, **fields) -> str:
        token = secrets.token_urlsafe(16)
        with transaction.atomic():
            mine = self._mine()
            PendingUpload.objects.create(token=token, user=self.user, kind=self.kind, **fields)
            newest = mine.order_by("-created_at", "-pk").values("pk")[:MAX_PENDING_PER_USER]
            mine.exclude(pk__in=newest).delete()
        return token

    def get(self, token: str) -> PendingImport | PendingProjections | None:
        row = self._mine().filter(token=token).first()
        if row is None:
            return None
        if row.kind == PendingUpload.Kind.PROJECTIONS:
            options = row.projection_options or {}
            upload = ProjectionUpload(
                row.file_name,
                unpack(row.data),
                name=options.get("name", ""),
                date=date.fromisoformat(options["date"]),
                publisher=options.get("publisher", ""),
                is_average=options.get("is_average", False),
                short_codes=(row.candidates_name, unpack(row.candidates_data))
                if row.candidates_data is not None
                else None,
                boundaries=options.get("boundaries", ""),
            )
            if upload.checksum != row.checksum:
                row.delete()
                return None
            return PendingProjections(token=token, upload=upload, created_at=row.created_at)
        upload = ResultsUpload(
            file_name=row.file_name,
            data=unpack(row.data),
            layout_name=row.layout_name or None,
            candidates_name=row.candidates_name,
            candidates_data=unpack(row.candidates_data),
        )
        if upload.checksum != row.checksum:  # cannot happen unless the stored copy is corrupt
            row.delete()
            return None
        return PendingImport(
            token=token,
            upload=upload,
            created_at=row.created_at,
            election_id=row.election_id,
            new_election=row.new_election,
        )

    def claim(self, token: str) -> None:
        """Take the waiting file off the list, inside the transaction that applies it.

        One DELETE: a second confirm of the same file waits for the first's transaction, then finds
        nothing to take (UploadNoLongerWaiting); if the import fails, the rollback leaves it waiting.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("claim() belongs inside the transaction that applies the upload")
        deleted, _ = PendingUpload.objects.filter(user=self.user, kind=self.kind, token=token).delete()
        if not deleted:
            raise UploadNoLongerWaiting(token)

    def discard(self, token: str) -> bool:
        deleted, _ = self._mine().filter(token=token).delete()
        return bool(deleted)
