"""What a layout reads a results file into: contests and candidacies, plain data the importer writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from constituencies.rules.files import Table

OTHER_CANDIDATES = "Oth"


@dataclass
class ParsedCandidacy:
    party: str  # a party code or name as the file gives it
    votes: int
    candidate_name: str = ""
    party_name: str = ""  # the full name, where the file gives one beside a code
    is_sitting_mp: bool | None = None
    is_combined: bool = False  # several minor candidates, none first or second
    row: int | None = None  # where the file has a row per candidate


@dataclass
class ParsedContest:
    ons_id: str
    name: str
    row: int
    region: str = ""
    country: str = ""
    electorate: int | None = None
    valid_votes: int | None = None
    invalid_votes: int | None = None
    description: str = ""
    declared_winner: str | None = None
    candidacies: list[ParsedCandidacy] = field(default_factory=list)

    @property
    def total_votes(self) -> int:
        return sum(c.votes for c in self.candidacies)


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    required: frozenset[str]  # the columns that identify it
    read: Callable[[Table, date | None], list[ParsedContest]]


@dataclass
class ParsedFile:
    """A results file read and checked: its layout, the contests in it and how many data rows it had."""

    file_name: str
    layout: Layout
    contests: list[ParsedContest]
    rows_read: int
    candidates_file_name: str = ""
