"""One seat as the staff list, the CSV and JSON exports and the API show it, built in one place.

Seats are read as plain rows (`.values()`), not model instances: the full 650-seat exports and API pages
stay cheap, and every listing runs a fixed number of queries whatever the number of seats. The recommendation
in each is seats/recommendations.py's; the confirmed supporters, seats/supporter_counts.py's (one query at most).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from constituencies.listings.advice import advice_label
from constituencies.models import Candidacy, Election, Party, SeatAssessment
from constituencies.rules.arithmetic import MARGINALITY_LABELS
from constituencies.seats import recommendations
from constituencies.seats.advice import SeatAdvice
from constituencies.seats.links import seat_path
from constituencies.seats.previous import PREVIOUS_FIELDS
from constituencies.seats.recommendations import RECOMMENDATION_FIELDS, EffectiveRecommendation
from constituencies.seats.supporter_counts import SeatSupporters, seat_supporters, supporter_counts

ONE_PLACE = Decimal("0.1")

# The columns a SeatRecord is built from: the assessment, its constituency and its result, in one query.
RECORD_FIELDS = (
    "result_id",
    "constituency_id",
    "constituency__ons_id",
    "constituency__name",
    "constituency__slug",
    "constituency__region",
    "constituency__country",
    "winner_id",
    "winner_name",
    "runner_up_id",
    "majority",
    "majority_pct",
    "marginality",
    "is_tragedy",
    "progressive_total",
    "result__valid_votes",
    "result__electorate",
    "result__invalid_votes",
    *RECOMMENDATION_FIELDS,
    *PREVIOUS_FIELDS,
)


def seat_assessments():
    """The assessments every seat listing filters, annotated with their recommendation."""
    return recommendations.with_recommendation(SeatAssessment.objects.all())


class PartyIndex:
    """Every party, read once, looked up by id or (case-insensitively) by short code."""

    def __init__(self, parties: Iterable[Party]):
        self._by_id: dict[int, Party] = {party.pk: party for party in parties}
        self._by_code = {party.code.casefold(): party for party in self._by_id.values()}
        self.get = self._by_id.get  # get(party_id) -> Party | None, as fast as a dict look-up

    def by_code(self, code: str) -> Party | None:
        return self._by_code.get((code or "").casefold())

    def sorted(self, ids: Iterable[int] | None = None) -> list[Party]:
        parties = (
            self._by_id.values() if ids is None else [self._by_id[i] for i in set(ids) if i in self._by_id]
        )
        return sorted(parties, key=lambda p: p.name.casefold())


@dataclass(frozen=True)
class PartyVotes:
    party: Party
    votes: int
    candidate: str = ""
    combined: bool = False


@dataclass
class SeatRecord:
    row: dict  # RECORD_FIELDS
    election: Election
    winner: Party
    runner_up: Party | None
    best: EffectiveRecommendation
    advice: SeatAdvice | None = None  # None when the election cannot be advised on
    parties: PartyIndex | None = None  # to name the advised party
    candidacies: list[PartyVotes] = field(default_factory=list)
    override_note: int | None = None  # the number of its note under the seat list, for an override
    previous_winner: Party | None = None  # in the previous contest on these boundaries (seats/previous.py)
    supporters: SeatSupporters | None = None  # confirmed supporters, never a number below the threshold

    @property
    def gained_from(self) -> Party | None:
        """The party this one took the seat from; None for a hold or with nothing to compare with."""
        return self.previous_winner if self.row["changed_hands"] is True else None

    @property
    def name(self) -> str:
        return self.row["constituency__name"]

    @property
    def region(self) -> str:
        return self.row["constituency__region"]

    @property
    def majority(self) -> int:
        return self.row["majority"]

    @property
    def majority_pct(self) -> Decimal:
        return self.row["majority_pct"]

    @property
    def marginality(self) -> str:
        return self.row["marginality"]

    @property
    def marginality_label(self) -> str:
        return MARGINALITY_LABELS[self.row["marginality"]]

    @property
    def is_tragedy(self) -> bool:
        return self.row["is_tragedy"]

    # Display strings for the HTML table, formatted here once rather than by template filters per cell.

    @property
    def majority_display(self) -> str:
        return f"{self.row['majority']:,}"

    @property
    def majority_pct_display(self) -> str:
        return f"{self.row['majority_pct'].quantize(ONE_PLACE, rounding=ROUND_HALF_UP)}%"

    @property
    def gap_display(self) -> str:
        return f"{self.best.gap_to_win:,}" if self.best.gap_to_win else ""

    @property
    def advice_party(self) -> Party | None:
        code = self.advice.party if self.advice else None
        return self.parties.by_code(code) if code and self.parties else None

    @property
    def advice_label(self) -> str:
        party = self.advice_party
        return advice_label(self.advice, lambda code: party.name if party else code)

    def advice_dict(self) -> dict | None:
        a = self.advice
        if a is None:
            return None
        return {
            "advice": a.advice,
            "party": a.party,
            "reason": a.reason,
            "overridden": a.override is not None,
        }

    @property
    def url(self) -> str:
        return seat_path(self.row["constituency__slug"], self.election.slug)

    def votes_by_party(self) -> dict[str, int]:
        """Votes per party code, largest first (two candidates of one party, e.g. independents, add up)."""
        totals: dict[str, int] = {}
        for candidacy in self.candidacies:  # already most votes first
            code = candidacy.party.code
            totals[code] = totals.get(code, 0) + candidacy.votes
        if len(totals) < len(self.candidacies):
            totals = dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))
        return totals

    def as_dict(self, site: str = "") -> dict:
        """The seat as the API and the exports give it; `site` ("https://host") makes the seat page URL absolute."""
        row, best = self.row, self.best
        return {
            "ons_id": row["constituency__ons_id"],
            "name": row["constituency__name"],
            "slug": row["constituency__slug"],
            "url": site + self.url,
            "region": row["constituency__region"],
            "country": row["constituency__country"],
            "election": self.election.slug,
            "winner": self.winner.code,
            "winner_candidate": row["winner_name"],
            "runner_up": self.runner_up.code if self.runner_up else None,
            "majority": row["majority"],
            "majority_pct": float(row["majority_pct"]),
            "marginality": row["marginality"],
            "is_tragedy": row["is_tragedy"],
            "progressive_total": row["progressive_total"],
            "best_placed": best.party.code if best.party else None,
            "best_placed_votes": best.votes,
            "best_placed_lead_is_clear": best.lead_is_clear,
            "best_placed_source": best.source,
            "override_reason": best.reason or None,
            "computed_best_placed": best.computed_party.code if best.computed_party else None,
            "gap_to_win": best.gap_to_win,
            "advice": self.advice_dict(),
            "valid_votes": row["result__valid_votes"],
            "electorate": row["result__electorate"],
            "votes": self.votes_by_party(),
            "previous_winner": self.previous_winner.code if self.previous_winner else None,
            "previous_majority": row["previous_majority"],
            "gained_from": self.gained_from.code if self.gained_from else None,
            "supporters": self.supporters.as_dict() if self.supporters else None,
        }

    def turnout_pct(self) -> float | None:
        electorate = self.row["result__electorate"]
        if not electorate:
            return None
        voted = self.row["result__valid_votes"] + (self.row["result__invalid_votes"] or 0)
        return round(100 * voted / electorate, 2)

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


def candidacies_by_result(results, parties: PartyIndex) -> dict[int, list[PartyVotes]]:
    """Every candidacy of the given results (ids, or a queryset of result ids) in one query, grouped by result,
    most votes first."""
    grouped: dict[int, list[PartyVotes]] = defaultdict(list)
    rows = (
        Candidacy.objects.filter(result_id__in=results)
        .order_by("result_id", "-votes", "pk")
        .values_list("result_id", "party_id", "votes", "candidate_name", "is_combined")
    )
    party = parties.get
    for result_id, party_id, votes, name, combined in rows:
        grouped[result_id].append(PartyVotes(party(party_id), votes, name, combined))
    return grouped


def build_records(
    assessments,
    election: Election,
    parties: PartyIndex,
    *,
    with_votes: bool,
    advice: Mapping[int, SeatAdvice] | None = None,
) -> list[SeatRecord]:
    """SeatRecords for an assessment queryset (sliced or not): one query, one more for the votes if asked.
    `advice`: the advice by constituency pk (listings.advice), if the election can be advised on."""
    rows = list(assessments.values(*RECORD_FIELDS))
    counts = supporter_counts().counts() if rows else {}
    votes = {}
    if with_votes and rows:
        # The same filtered (and sliced) assessments as a subquery: no list of hundreds of ids to send.
        votes = candidacies_by_result(assessments.values("result_id"), parties)
    return [
        SeatRecord(
            row=row,
            election=election,
            advice=advice.get(row["constituency_id"]) if advice else None,
            parties=parties,
            winner=parties.get(row["winner_id"]),
            runner_up=parties.get(row["runner_up_id"]),
            best=recommendations.recommendation_from_row(row, parties),
            candidacies=votes.get(row["result_id"], []),
            previous_winner=parties.get(row["previous_winner_id"]),
            supporters=seat_supporters(counts, row["constituency_id"]),
        )
        for row in rows
    ]


def number_override_notes(records: list[SeatRecord]) -> list[SeatRecord]:
    """Number the overridden seats in order, for the notes under the list that give the editors' reasons."""
    noted = [record for record in records if record.best.source == "override"]
    for number, record in enumerate(noted, 1):
        record.override_note = number
    return noted


@dataclass(frozen=True)
class Summary:
    seats: int
    tragedies: int
    by_winner: list[tuple[Party, int]]


def summarise(assessments, parties: PartyIndex) -> Summary:
    """How many seats match, how many are tragedies, and the seats by winner: one query."""
    rows = list(
        assessments.order_by()
        .values("winner_id")
        .annotate(seats=Count("pk"), tragedies=Count("pk", filter=Q(is_tragedy=True)))
    )
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
    "override_reason",
    "gap_to_win",
    "valid_votes",
    "electorate",
    "url",
    "gained_from",
    "previous_winner",
    "previous_majority",
    "supporters",
]
