"""Receiving an uploaded results file in the admin, and keeping it between preview and confirm.

- `MemoryUploadHandler` reads the upload into memory and stops at SEATFINDER_MAX_UPLOAD_BYTES, so an
  uploaded file never touches the disk (Django's default handler spools files over 2.5 MB to /tmp).
- `PendingUploads` keeps a previewed file in the user's session (compressed) until it is confirmed,
  cancelled or an hour old. With the default database-backed sessions it lives in the session row,
  never in a file; only SEATFINDER_UPLOAD_ARCHIVE_DIR keeps a copy of applied files on disk.
"""

from __future__ import annotations

import base64
import secrets
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils import timezone

from constituencies.models import BoundarySet, Election
from constituencies.results_imports import ResultsUpload, sha256

SESSION_KEY = "seatfinder_pending_uploads"
PENDING_LIFETIME = timedelta(hours=1)
MAX_PENDING_PER_SESSION = 3


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


@dataclass
class PendingUpload:
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


def _pack(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def _unpack(text: str | None) -> bytes | None:
    return None if text is None else zlib.decompress(base64.b64decode(text))


class PendingUploads:
    """Uploads waiting for confirmation, in one user's session, keyed by a random token."""

    def __init__(self, session):
        self.session = session

    def _entries(self) -> dict:
        entries = dict(self.session.get(SESSION_KEY, {}))
        now = timezone.now()
        fresh = {
            token: entry
            for token, entry in entries.items()
            if now - datetime.fromisoformat(entry["created_at"]) < PENDING_LIFETIME
        }
        if len(fresh) != len(entries):
            self._save(fresh)
        return fresh

    def _save(self, entries: dict) -> None:
        self.session[SESSION_KEY] = entries
        self.session.modified = True

    def add(self, upload: ResultsUpload, election: Election | None, new_election: dict | None) -> str:
        entries = self._entries()
        while len(entries) >= MAX_PENDING_PER_SESSION:
            oldest = min(entries, key=lambda token: entries[token]["created_at"])
            del entries[oldest]
        token = secrets.token_urlsafe(16)
        entries[token] = {
            "file_name": upload.file_name,
            "data": _pack(upload.data),
            "checksum": upload.checksum,
            "layout": upload.layout_name,
            "candidates_name": upload.candidates_name,
            "candidates_data": _pack(upload.candidates_data),
            "election_id": election.pk if election is not None else None,
            "new_election": new_election,
            "created_at": timezone.now().isoformat(),
        }
        self._save(entries)
        return token

    def get(self, token: str) -> PendingUpload | None:
        entry = self._entries().get(token)
        if entry is None:
            return None
        upload = ResultsUpload(
            file_name=entry["file_name"],
            data=_unpack(entry["data"]),
            layout_name=entry["layout"],
            candidates_name=entry["candidates_name"],
            candidates_data=_unpack(entry["candidates_data"]),
        )
        if sha256(upload.data) != entry["checksum"]:  # cannot happen unless the session store is corrupt
            self.discard(token)
            return None
        return PendingUpload(
            token=token,
            upload=upload,
            created_at=datetime.fromisoformat(entry["created_at"]),
            election_id=entry["election_id"],
            new_election=entry["new_election"],
        )

    def discard(self, token: str) -> bool:
        entries = self._entries()
        if token not in entries:
            return False
        del entries[token]
        self._save(entries)
        return True
