"""Keep the candidate details a results file leaves out, and say which ones it would remove.

A House of Commons Library constituency file names only the winner and lumps minor candidates together in
"All other candidates"; the candidate file names every candidate. Re-importing the constituency file (a
correction, say) over an election imported with candidate names would otherwise drop them all. Plain
functions over plain data, seat by seat:

1. each candidacy in the file is matched to the stored one of the same party (the party's only candidate in
   the seat, or, among several, the one with the same votes): the file's votes stand, and the stored name and
   sitting-MP flag fill in what the file leaves blank;
2. the stored candidacies left unmatched replace the file's combined "other candidates" when their votes add up
   to exactly its votes, so the minor candidates keep their names and parties;
3. any stored name still not placed would be removed, and is listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple


class CandidacyFacts(NamedTuple):
    """One candidacy as stored (or as it will be stored): what a seat's figures are made of."""

    party: str  # party code
    name: str
    votes: int
    combined: bool
    sitting: bool | None

    def label(self) -> str:
        return f"{self.name} ({self.party})"


@dataclass
class KeptSeat:
    candidacies: list[CandidacyFacts]
    names_kept: int = 0
    names_removed: list[str] = field(default_factory=list)  # "Name (Party)"


def keep_candidate_details(new: list[CandidacyFacts], stored: Iterable[CandidacyFacts]) -> KeptSeat:
    """The seat's candidacies from the file (`new`), with what `stored` knows and the file leaves out."""
    unmatched = list(stored)
    kept = KeptSeat([])
    for candidacy in new:
        if candidacy.combined:
            kept.candidacies.append(candidacy)
            continue
        match = _same_candidate(candidacy, unmatched)
        if match is not None:
            unmatched.remove(match)
            if match.name and not candidacy.name:
                kept.names_kept += 1
            candidacy = candidacy._replace(
                name=candidacy.name or match.name,
                sitting=match.sitting if candidacy.sitting is None else candidacy.sitting,
            )
        kept.candidacies.append(candidacy)
    combined = [c for c in kept.candidacies if c.combined]
    if len(combined) == 1 and unmatched and sum(c.votes for c in unmatched) == combined[0].votes:
        kept.candidacies.remove(combined[0])
        kept.candidacies.extend(unmatched)
        kept.names_kept += sum(1 for c in unmatched if c.name)
        unmatched = []
    kept.names_removed = [c.label() for c in unmatched if c.name]
    return kept


def _same_candidate(candidacy: CandidacyFacts, stored: list[CandidacyFacts]) -> CandidacyFacts | None:
    same_party = [c for c in stored if c.party == candidacy.party and not c.combined]
    if len(same_party) == 1:
        return same_party[0]
    same_votes = [c for c in same_party if c.votes == candidacy.votes]
    if candidacy.name:
        same_votes = [c for c in same_votes if c.name in ("", candidacy.name)] or same_votes
    return same_votes[0] if same_votes else None


# -- what differs between a seat's figures before and after -------------------------------------------------


def figure_differences(was: tuple, now: tuple) -> list[str]:
    """What differs between two seats' figures, (electorate, valid votes, invalid votes, candidacies), in
    words: the seat-level counts, then each party's votes, then the candidates' names."""
    if was == now:
        return []
    differences = [
        f"{label} {_count(before)} → {_count(after)}"
        for label, before, after in zip(
            ("electorate", "valid votes", "invalid votes"), was[:3], now[:3], strict=True
        )
        if before != after
    ]
    was_votes, now_votes = _votes_by_party(was[3]), _votes_by_party(now[3])
    for party in sorted(set(was_votes) | set(now_votes)):
        before, after = was_votes.get(party), now_votes.get(party)
        if before != after:
            differences.append(f"{party} {_count(before)} → {_count(after)}")
    was_named = {c.label() for c in map(CandidacyFacts._make, was[3]) if c.name}
    now_named = {c.label() for c in map(CandidacyFacts._make, now[3]) if c.name}
    if removed := sorted(was_named - now_named):
        differences.append("candidate names removed: " + ", ".join(removed))
    if added := sorted(now_named - was_named):
        differences.append("candidate names added: " + ", ".join(added))
    if not differences:  # the same votes, names and counts, arranged differently
        differences.append("the candidacies are split or flagged differently (sitting MP, combined others)")
    return differences


def _votes_by_party(candidacies) -> dict[str, int]:
    totals: dict[str, int] = {}
    for candidacy in map(CandidacyFacts._make, candidacies):
        party = "others (combined)" if candidacy.combined else candidacy.party
        totals[party] = totals.get(party, 0) + candidacy.votes
    return totals


def _count(value: int | None) -> str:
    return "none" if value is None else f"{value:,}"
