"""One seat as the staff list, the CSV and JSON exports and the API show it, built in one place.

`best_placed_for()` is the single source of the recommendation in all of them: an admin override of the
best-placed party belongs there (and its data in `seat_assessments()`), nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.db.models import Count, Q

from constituencies.models import Candidacy, Election, Party, SeatAssessment


def seat_assessments():
    """The rows every seat listing starts from: one query, no per-seat look-ups."""
    return SeatAssessment.objects.select_related("constituency", "result")


def seat_page_url(constituency_slug: str, election_slug: str) -> str:
    """The voter-facing seat page (built by the voter journey) for one seat in one election."""
    return f"/seats/{quote(constituency_slug)}/?{urlencode({'election': election_slug})}"


class PartyIndex:
    """Every party, read once, looked up by id or (case-insensitively) by short code."""

    def __init__(self, parties: Iterable[Party]):
        self._by_id = {party.pk: party for party in parties}
        self._by_code = {party.code.casefold(): party for party in self._by_id.values()}

    def get(self, party_id: int | None) -> Party | None:
        return self._by_id.get(party_id)

    def by_code(self, code: str) -> Party | None:
        return self._by_code.get((code or "").casefold())

    def sorted(self) -> list[Party]:
        return sorted(self._by_id.values(), key=lambda p: p.name.casefold())


@dataclass(frozen=True)
class BestPlaced:
    """The progressive party to back in a seat, and why."""

    party: Party | None
    votes: int
    gap_to_win: int | None  # votes behind the winner; 0 when it holds the seat; None with no progressive
    lead_is_clear: bool
    source: str = "results"  # "results": from the arithmetic on the declared result


def best_placed_for(assessment: SeatAssessment, parties: PartyIndex) -> BestPlaced:
    """The recommendation for a seat. The one place the list, exports and API take it from."""
    party = parties.get(assessment.best_placed_id)
    return BestPlaced(
        party=party,
        votes=assessment.best_placed_votes,
        gap_to_win=assessment.gap_to_win if party else None,
        lead_is_clear=assessment.lead_is_clear if party else False,
    )


@dataclass(frozen=True)
class PartyVotes:
    party: Party
    votes: int
    candidate: str = ""
    combined: bool = False


@dataclass
class SeatRecord:
    assessment: SeatAssessment
    election: Election
    winner: Party
    runner_up: Party | None
    best: BestPlaced
    candidacies: list[PartyVotes] = field(default_factory=list)

    @property
    def constituency(self):
        return self.assessment.constituency

    @property
    def url(self) -> str:
        return seat_page_url(self.constituency.slug, self.election.slug)

    def votes_by_party(self) -> dict[str, int]:
        """Votes per party code, largest first (two candidates of one party, e.g. independents, add up)."""
        totals: dict[str, int] = defaultdict(int)
        for candidacy in self.candidacies:
            totals[candidacy.party.code] += candidacy.votes
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    def as_dict(self, absolute_url: Callable[[str], str] | None = None) -> dict:
        """The seat as the API and the exports give it. `absolute_url` turns the seat page path into a URL."""
        a, c = self.assessment, self.constituency
        return {
            "ons_id": c.ons_id,
            "name": c.name,
            "slug": c.slug,
            "url": absolute_url(self.url) if absolute_url else self.url,
            "region": c.region,
            "country": c.country,
            "election": self.election.slug,
            "winner": self.winner.code,
            "winner_candidate": a.winner_name,
            "runner_up": self.runner_up.code if self.runner_up else None,
            "majority": a.majority,
            "majority_pct": as_number(a.majority_pct),
            "marginality": a.marginality,
            "is_tragedy": a.is_tragedy,
            "progressive_total": a.progressive_total,
            "best_placed": self.best.party.code if self.best.party else None,
            "best_placed_votes": self.best.votes if self.best.party else None,
            "best_placed_lead_is_clear": self.best.lead_is_clear,
            "best_placed_source": self.best.source,
            "gap_to_win": self.best.gap_to_win,
            "valid_votes": a.result.valid_votes,
            "electorate": a.result.electorate,
            "votes": self.votes_by_party(),
        }

    def candidates(self) -> list[dict]:
        return [
            {
                "party": c.party.code,
                "party_name": c.party.name,
                "candidate": c.candidate,
                "votes": c.votes,
                "combined": c.combined,
            }
            for c in self.candidacies
        ]


def as_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def candidacies_by_result(result_ids: list[int], parties: PartyIndex) -> dict[int, list[PartyVotes]]:
    """Every candidacy of the given results in one query, grouped by result, most votes first."""
    grouped: dict[int, list[PartyVotes]] = defaultdict(list)
    rows = (
        Candidacy.objects.filter(result_id__in=result_ids)
        .order_by("result_id", "-votes", "pk")
        .values_list("result_id", "party_id", "votes", "candidate_name", "is_combined")
    )
    for result_id, party_id, votes, name, combined in rows:
        grouped[result_id].append(PartyVotes(parties.get(party_id), votes, name, combined))
    return grouped


def build_records(
    assessments: Iterable[SeatAssessment], election: Election, parties: PartyIndex, *, with_votes: bool
) -> list[SeatRecord]:
    """SeatRecords for the given assessments: one query for them, one more for the votes if asked."""
    assessments = list(assessments)
    votes = (
        candidacies_by_result([a.result_id for a in assessments], parties)
        if with_votes and assessments
        else {}
    )
    return [
        SeatRecord(
            assessment=a,
            election=election,
            winner=parties.get(a.winner_id),
            runner_up=parties.get(a.runner_up_id),
            best=best_placed_for(a, parties),
            candidacies=votes.get(a.result_id, []),
        )
        for a in assessments
    ]


@dataclass(frozen=True)
class Summary:
    seats: int
    tragedies: int
    by_winner: list[tuple[Party, int]]


def summarise(assessments, parties: PartyIndex) -> Summary:
    """How many seats match, how many are tragedies, and the seats by winner: one query."""
    rows = (
        assessments.order_by()
        .values("winner_id")
        .annotate(seats=Count("pk"), tragedies=Count("pk", filter=Q(is_tragedy=True)))
    )
    rows = list(rows)
    by_winner = sorted(
        ((parties.get(row["winner_id"]), row["seats"]) for row in rows),
        key=lambda item: (-item[1], item[0].name),
    )
    return Summary(
        seats=sum(row["seats"] for row in rows),
        tragedies=sum(row["tragedies"] for row in rows),
        by_winner=by_winner,
    )


CSV_COLUMNS = [
    "ons_id",
    "name",
    "region",
    "country",
    "election",
    "winner",
    "winner_candidate",
    "runner_up",
    "majority",
    "majority_pct",
    "marginality",
    "is_tragedy",
    "progressive_total",
    "best_placed",
    "best_placed_votes",
    "best_placed_lead_is_clear",
    "best_placed_source",
    "gap_to_win",
    "valid_votes",
    "electorate",
    "url",
]


def csv_table(
    records: list[SeatRecord], absolute_url: Callable[[str], str] | None = None
) -> tuple[list[str], list[list]]:
    """A header and rows: the fixed columns, then one `votes_<party>` column per party that stood."""
    totals: dict[str, int] = defaultdict(int)
    for record in records:
        for code, votes in record.votes_by_party().items():
            totals[code] += votes
    party_codes = sorted(totals, key=lambda code: (-totals[code], code))
    header = CSV_COLUMNS + [f"votes_{code}" for code in party_codes]
    rows = []
    for record in records:
        data = record.as_dict(absolute_url)
        votes = data["votes"]
        row = [csv_cell(data[column]) for column in CSV_COLUMNS]
        row += [votes.get(code, 0) for code in party_codes]
        rows.append(row)
    return header, rows


def csv_cell(value):
    """Booleans as true/false, nothing as empty, and text that a spreadsheet would run as a formula defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
