"""A small client for the public postcodes.io API (https://postcodes.io), the optional remote look-up.

Only what the look-up needs: a postcode's 2024 Westminster constituency, and whether a postcode
postcodes.io does not know was retired. Standard library only; every failure (no answer in time,
refused connection, a 5xx, a body that is not the JSON we expect) becomes `RemoteLookupFailed`.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

MAX_BODY_BYTES = 1_000_000
USER_AGENT = "SeatFinder/0.1 (Westminster constituency look-up)"
# Threads per server process that make remote requests; a look-up waits for its own at most until its deadline.
REQUEST_THREADS = 4


class RemoteLookupFailed(Exception):
    """postcodes.io did not give a usable answer (timeout, network error, server error, bad body)."""


@dataclass(frozen=True)
class RemoteAnswer:
    status: str  # "found", "terminated" or "unknown"
    postcode: str
    constituency_code: str | None = None
    constituency_name: str | None = None
    terminated_year: int | None = None
    terminated_month: int | None = None

    def as_dict(self) -> dict:
        return self.__dict__.copy()

    @classmethod
    def from_dict(cls, data: dict) -> RemoteAnswer:
        return cls(**data)


class PostcodesIO:
    def __init__(self, base_url: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def lookup(self, postcode: str) -> RemoteAnswer:
        """Look a normalised postcode up: live first, then (if unknown) the retired postcodes.

        `timeout` is a hard deadline for the whole look-up: resolving the host name, connecting, both
        requests and reading both answers. A socket timeout alone bounds only each wait, so a slow DNS
        answer or a server sending a byte at a time could hold the caller far longer; the requests
        therefore run on a small shared pool of threads and the caller stops waiting at the deadline.
        """
        deadline = time.monotonic() + self.timeout
        future = _request_pool().submit(self._lookup_before, postcode, deadline)
        try:
            return future.result(timeout=max(deadline - time.monotonic(), 0))
        except TimeoutError:
            future.cancel()  # still queued behind other look-ups: never start it
            raise RemoteLookupFailed(f"postcodes.io did not answer within {self.timeout:g} s") from None

    def _lookup_before(self, postcode: str, deadline: float) -> RemoteAnswer:
        status, body = self._get(f"/postcodes/{urllib.parse.quote(postcode)}", deadline)
        if status == 200:
            result = _result(body)
            codes = result.get("codes") or {}
            if not isinstance(codes, dict):
                raise RemoteLookupFailed("postcodes.io sent codes that are not an object")
            return RemoteAnswer(
                status="found",
                postcode=str(result.get("postcode") or postcode),
                constituency_code=_text(codes.get("parliamentary_constituency_2024")),
                constituency_name=_text(result.get("parliamentary_constituency_2024")),
            )
        status, body = self._get(f"/terminated_postcodes/{urllib.parse.quote(postcode)}", deadline)
        if status == 200:
            result = _result(body)
            return RemoteAnswer(
                status="terminated",
                postcode=str(result.get("postcode") or postcode),
                terminated_year=_int(result.get("year_terminated")),
                terminated_month=_int(result.get("month_terminated")),
            )
        return RemoteAnswer(status="unknown", postcode=postcode)

    def _get(self, path: str, deadline: float) -> tuple[int, dict | None]:
        """(200, body) or (404, None); anything else raises RemoteLookupFailed."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RemoteLookupFailed("postcodes.io did not answer in time")
        request = urllib.request.Request(
            self.base_url + path, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=remaining) as response:
                raw = _read_body(response, deadline)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return 404, None
            raise RemoteLookupFailed(f"postcodes.io answered {exc.code}") from exc
        except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts and resets are OSErrors
            raise RemoteLookupFailed(f"postcodes.io could not be reached: {exc}") from exc
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise RemoteLookupFailed("postcodes.io sent something that is not JSON") from exc
        if not isinstance(body, dict):
            raise RemoteLookupFailed("postcodes.io sent JSON of an unexpected shape")
        return 200, body


def _read_body(response, deadline: float) -> bytes:
    """The body, read as it arrives; given up at the deadline, so a server sending it slowly does not keep
    a pool thread busy after its caller has stopped waiting."""
    chunks, size = [], 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RemoteLookupFailed("postcodes.io sent an unexpectedly large answer")
        if time.monotonic() > deadline:
            raise RemoteLookupFailed("postcodes.io did not answer in time")
        chunks.append(chunk)
    return b"".join(chunks)


_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _request_pool() -> ThreadPoolExecutor:
    """This process's pool (one per process id: a pool inherited through fork has no threads behind it)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="postcodes-io"))
        return _pool[1]


def _result(body: dict | None) -> dict:
    result = (body or {}).get("result")
    if not isinstance(result, dict):
        raise RemoteLookupFailed("postcodes.io sent JSON without a result")
    return result


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
