"""Reading one big CSV file in several processes at once: the parts of the file after its header, each
checked by a process of its own, their COPY text handed to the importer as it comes.

Parsing and checking the rows is most of an import's work, and one process does it on one core. A part
gives exact results only if nothing in it is unusual, so anything at all (a row with a problem, text that is
not UTF-8, a quoted cell running past the end of a part, more unknown codes than are counted one by one)
raises ReadAgain, and the importer reads the whole file again in one process, which says exactly what it
found. A well-formed file is read in parts; any other, one row after another.
"""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from constituencies.postcodes.importer import rows
from constituencies.postcodes.importer.layout import PostcodeLayout
from constituencies.postcodes.importer.rows import Problems, RowChecker
from constituencies.postcodes.importer.summary import PostcodeImportSummary

# Files smaller than this are read in one process: starting the others would cost more than it saves.
PARALLEL_FROM_BYTES = 64 << 20
MAX_PARTS = 4
COUNTS = ("rows_read", "stored", "terminated", "with_coordinates")


class ReadAgain(Exception):
    """A part met something unusual: the file is to be read again in one process."""


def parts_for(size: int | None) -> int:
    """How many parts to read a plain CSV file of `size` bytes in: one per core, up to MAX_PARTS."""
    if size is None or size < PARALLEL_FROM_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PARTS))


def split(path: Path, start: int, end: int, parts: int) -> list[tuple[int, int]]:
    """[start, end) cut into about `parts` pieces, each ending with a line break."""
    bounds = [start]
    with open(path, "rb") as f:
        for i in range(1, parts):
            f.seek(max(start + (end - start) * i // parts, bounds[-1]))
            f.readline()
            if f.tell() < end:
                bounds.append(f.tell())
    bounds.append(end)
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def lines_between(path: Path, start: int, end: int) -> Iterator[bytes]:
    with open(path, "rb") as f:
        f.seek(start)
        position = start
        for line in f:
            yield line
            position += len(line)
            if position >= end:
                return


def read_part(
    path: Path,
    start: int,
    end: int,
    layout: PostcodeLayout,
    ids: dict[str, int],
    progress: Callable[[str], None],
) -> tuple[RowChecker, Iterator[str]]:
    checker = RowChecker(
        layout, ids, PostcodeImportSummary(file="", layout="", boundary_set=""), set(), Problems(), progress
    )
    reader = csv.reader(map(bytes.decode, lines_between(path, start, end)), strict=True)
    return checker, checker.chunks(reader, None, str(path), None)


def part_outcome(checker: RowChecker) -> dict:
    summary = checker.summary
    return {
        "clean": checker.problems.count == 0 and not checker.bucketed,
        "counts": {name: getattr(summary, name) for name in COUNTS},
        "unknown_codes": list(summary.unknown_codes.items()),
        "unknown_examples": summary.unknown_examples,
        "covered": checker.covered,
    }


def _child(conn: Connection, path: Path, start: int, end: int, layout: PostcodeLayout, ids: dict[str, int]):
    """In a forked process: read one part, send its COPY text as bytes, then an empty message and the outcome."""
    try:
        checker, chunks = read_part(path, start, end, layout, ids, lambda message: None)
        for chunk in chunks:
            conn.send_bytes(chunk.encode())
        outcome = part_outcome(checker)
    except Exception:  # noqa: BLE001 (whatever it was, the file is read again in one process, which says)
        outcome = {"clean": False}
    conn.send_bytes(b"")
    conn.send(outcome)
    conn.close()


def chunks_in_parts(
    path: Path,
    start: int,
    end: int,
    parts: int,
    layout: PostcodeLayout,
    ids: dict[str, int],
    summary: PostcodeImportSummary,
    covered: set[str],
    progress: Callable[[str], None],
) -> Iterator[str | bytes]:
    """The COPY text of [start, end) of the file, read in parts: the first in this process, each other in a
    forked one. Adds their counts to `summary` and `covered`, in file order, or raises ReadAgain."""
    pieces = split(path, start, end, parts)
    context = multiprocessing.get_context("fork")
    children, receiving = [], {}
    try:
        for piece_start, piece_end in pieces[1:]:
            ours, theirs = context.Pipe(duplex=False)
            child = context.Process(
                target=_child, args=(theirs, path, piece_start, piece_end, layout, ids), daemon=True
            )
            child.start()
            theirs.close()
            children.append((child, ours))
            receiving[ours] = True
        progress(f"  reading it in {len(pieces)} parts at once")
        checker, chunks = read_part(path, *pieces[0], layout, ids, progress)
        try:
            for chunk in chunks:
                yield chunk
                yield from _received(receiving, block=False)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ReadAgain from exc
        outcomes = [part_outcome(checker)]
        yield from _received(receiving, block=True)
        for _, conn in children:
            outcomes.append(conn.recv())
    except (EOFError, OSError) as exc:  # a part's process died
        raise ReadAgain from exc
    finally:
        for child, conn in children:
            conn.close()
            if child.is_alive():
                child.terminate()
            child.join()
    _merge(outcomes, summary, covered)


def _received(receiving: dict[Connection, bool], block: bool) -> Iterator[bytes]:
    """The COPY text the other parts have sent so far (all of it, with block=True)."""
    while True:
        waiting = [conn for conn, open_ in receiving.items() if open_]
        if not waiting:
            return
        ready = wait(waiting, timeout=None if block else 0)
        if not ready:
            return
        for conn in ready:
            data = conn.recv_bytes()
            if data:
                yield data
            else:
                receiving[conn] = False  # its outcome follows


def _merge(outcomes: list[dict], summary: PostcodeImportSummary, covered: set[str]) -> None:
    """Each part's counts added in file order, as one process reading the whole file would have counted."""
    if not all(outcome["clean"] for outcome in outcomes):
        raise ReadAgain
    unknown, examples = summary.unknown_codes, summary.unknown_examples
    if len(set(unknown).union(*(dict(o["unknown_codes"]) for o in outcomes))) > rows.MAX_UNKNOWN_CODES:
        raise ReadAgain  # one process would have lumped the later codes together
    for outcome in outcomes:
        for name, value in outcome["counts"].items():
            setattr(summary, name, getattr(summary, name) + value)
        for code, count in outcome["unknown_codes"]:
            unknown[code] += count
            examples.setdefault(code, outcome["unknown_examples"][code])
        covered |= outcome["covered"]
