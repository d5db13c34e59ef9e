"""Advice from the evidence: "vote X", "no tactical vote needed" or "too close to call", and why.

Plain functions over plain data, with no Django and no database, like arithmetic.py.

Evidence, for one seat at one election. Nothing dated on or after the election day, or after `as_of`,
is used, so a seat's advice is never reasoned from its own result. What counts:
- the most recent general election on the seat's boundaries, or the notional result when the
  boundaries are new (older general elections are superseded);
- the newest by-election in the seat since then;
- poll projections (an MRP, or an average of several) published since then, the newest from each
  publisher. A projection made before the last general election was for that election: superseded.

Every source is read as each party's share (of the votes cast, or projected) in percentage points.
How far a source can be off by polling day is its margin, a constant set once, on principle, for
every seat and every election, and not fitted to any election's outcome:
- a past result, general or by-election: RESULT_MARGIN_POINTS = 10. An ordinary general election
  swings a seat by up to about 5 points, which moves the lead between two parties by up to 10; it is
  also the seat list's own line for "marginal" (arithmetic.MARGINAL_BELOW_PCT).
- a projection: PROJECTION_MARGIN_POINTS = 5. A poll's usual margin of error is about 3 points on
  one party's share, national polls have often missed a party by 4 or more, and the lead between two
  parties is less certain than either share.

1. Can the Conservatives or Reform win here? A source gives them a realistic chance when their
   strongest party leads, or trails the leader by less than the source's margin. If no counted
   source does (neither the last result nor any projection): "No tactical vote needed: vote for the
   party you support". This is cautious on purpose: a needless tactical vote costs little, a missed
   one can hand over the seat. Where neither stands at all (much of Northern Ireland), or in the
   Speaker's seat, the question does not arise: "not applicable". A combined "others" figure is
   never read as a candidate.
2. Which progressive party is best placed, and how sure is that? One source decides, by precedence:
   projections (made for this election, on fresh polling, by models that already know the last
   result), then the by-election, then the general election. Among projections the newest average
   of several pollsters decides, else the newest single one; a by-election held after the newest
   projection outranks them all, since they could not know it. It names its leading progressive
   party when that party leads the next one by at least the source's margin and no other source of
   the same kind (another pollster, say) clearly points elsewhere. Otherwise: "Too close to call".
   Older kinds of source are shown beside it with what each says, but the newer one outranks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from constituencies.rules.arithmetic import MARGINAL_BELOW_PCT, Blocs, percentage
from constituencies.rules.explain import SPEAKER, PartyRef, capitalised, is_are, phrase

RESULT_MARGIN_POINTS = MARGINAL_BELOW_PCT  # 10: how far a past result can be off by the next election
PROJECTION_MARGIN_POINTS = 5  # how far a poll projection can be off by the day

GENERAL, NOTIONAL, BY_ELECTION, PROJECTION = "general", "notional", "by_election", "projection"
NONE_NEEDED, TOO_CLOSE, NOT_APPLICABLE = "none_needed", "too_close", "not_applicable"
OTHERS = "Oth"  # a combined figure for several minor candidates, never a contender
# The advice that names no party, in a few words (the seat list, its filter and downloads).
ADVICE_LABELS = {
    NONE_NEEDED: "No tactical vote needed",
    TOO_CLOSE: "Too close to call",
    NOT_APPLICABLE: "Not applicable",
}
# The same as the seat page's headline; each such reason opens with it.
VERDICTS = {
    **ADVICE_LABELS,
    NONE_NEEDED: "No tactical vote needed: vote for the party you support",
}


@dataclass(frozen=True)
class Result:
    """A past contest in this seat: votes per party code."""

    label: str  # "2019 general election (notional, 2024 boundaries)"
    date: date
    votes: Mapping[str, int]
    kind: str = GENERAL  # GENERAL, NOTIONAL or BY_ELECTION

    @cached_property
    def shares(self) -> dict[str, float]:
        total = sum(self.votes.values())
        return {party: percentage(n, total) for party, n in self.votes.items()}


@dataclass(frozen=True)
class Projection:
    """A poll projection for this seat: projected vote share per party code, in percentage points."""

    name: str  # "MRP average, June 2024"
    publisher: str  # "Movement Forward", "YouGov"
    date: date
    shares: Mapping[str, float]
    is_average: bool = False  # an average of several pollsters
    kind = PROJECTION

    @property
    def label(self) -> str:
        return self.name


Evidence = Result | Projection


@dataclass(frozen=True)
class Source:
    """One counted piece of evidence as the seat page shows it."""

    label: str
    date: date
    kind: str
    points_to: str | None  # a progressive party's code, TOO_CLOSE, or None when no progressive stood
    target_can_win: bool  # whether this source gives the Conservatives or Reform a realistic chance
    figures: dict[str, float]  # share per party, largest first, one decimal


@dataclass(frozen=True)
class Advice:
    advice: str  # a progressive party's code, NONE_NEEDED, TOO_CLOSE or NOT_APPLICABLE
    party: str | None
    reason: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class _Reading:
    evidence: Evidence
    margin: float
    best: str | None  # the leading progressive party
    runner: str | None  # the next progressive party
    lead: float  # best's lead over runner, in points
    target: str | None  # the strongest target party
    target_gap: float  # points the strongest target party trails the leader by (<= 0 when it leads)

    @property
    def clear(self) -> bool:  # the only progressive party standing is clearly the one to back
        return self.best is not None and (self.runner is None or self.lead >= self.margin)

    @property
    def points_to(self) -> str | None:
        return self.best if self.clear else (TOO_CLOSE if self.best else None)

    @property
    def target_can_win(self) -> bool:
        return self.target is not None and self.target_gap < self.margin


def _read(evidence: Evidence, blocs: Blocs) -> _Reading:
    shares = {party: share for party, share in evidence.shares.items() if party != OTHERS and share > 0}
    ranked = sorted(shares, key=lambda party: (-shares[party], party))
    progressive = [p for p in ranked if p in blocs.progressive] + [None, None]
    target = next((p for p in ranked if p in blocs.target), None)
    leader = max((shares[p] for p in ranked if p not in blocs.target), default=0.0)
    best, runner = progressive[0], progressive[1]
    return _Reading(
        evidence=evidence,
        margin=PROJECTION_MARGIN_POINTS if evidence.kind == PROJECTION else RESULT_MARGIN_POINTS,
        best=best,
        runner=runner,
        lead=shares.get(best, 0.0) - shares.get(runner, 0.0),
        target=target,
        target_gap=leader - shares.get(target, 0.0),
    )


def counted_evidence(
    evidence: Iterable[Evidence], *, election_date: date | None = None, as_of: date | None = None
) -> tuple[Result | None, Result | None, list[Projection]]:
    """The last general election (or notional result), the newest by-election since, and the newest
    projection from each publisher since (averages first, then newest first); everything dated on or
    after `election_date` or after `as_of` left out."""
    usable = [
        e
        for e in evidence
        if (election_date is None or e.date < election_date) and (as_of is None or e.date <= as_of)
    ]
    results = [e for e in usable if isinstance(e, Result)]
    general = max(
        (r for r in results if r.kind in (GENERAL, NOTIONAL)),
        key=lambda r: (r.date, r.kind == NOTIONAL),
        default=None,
    )
    since = general.date if general else date.min
    by_election = max(
        (r for r in results if r.kind == BY_ELECTION and r.date > since), key=_newest, default=None
    )
    newest: dict[tuple[str, bool], Projection] = {}
    for p in sorted((e for e in usable if isinstance(e, Projection) and e.date > since), key=_newest):
        newest[(p.publisher, p.is_average)] = p
    projections = sorted(newest.values(), key=lambda p: (p.is_average, _newest(p)), reverse=True)
    return general, by_election, projections


def _newest(e: Evidence) -> tuple[date, str]:
    return e.date, e.label


def advise(
    evidence: Iterable[Evidence],
    blocs: Blocs,
    *,
    election_date: date | None = None,
    as_of: date | None = None,
    seat_is_speakers: bool = False,
) -> Advice:
    """The advice for one seat at one election, from the evidence dated before it (see the module).
    `sources` lists the counted evidence in order of precedence, the deciding source first."""
    general, by_election, projections = counted_evidence(evidence, election_date=election_date, as_of=as_of)
    tiers = [[_read(p, blocs) for p in projections], [_read(by_election, blocs)] if by_election else []]
    if by_election and projections and by_election.date > max(p.date for p in projections):
        tiers.reverse()  # a by-election the projections could not know about outranks them
    tiers = [tier for tier in (*tiers, [_read(general, blocs)] if general else []) if tier]
    readings = [r for tier in tiers for r in tier]
    sources = tuple(_source(r) for r in readings)
    if seat_is_speakers or (general and _leader(general) == SPEAKER):
        return Advice(NOT_APPLICABLE, None, _SPEAKER, sources)
    if not readings:
        return Advice(NOT_APPLICABLE, None, _no_evidence(election_date, as_of), sources)
    if all(r.target is None for r in readings):
        return Advice(NOT_APPLICABLE, None, _NO_TARGET, sources)
    if not any(r.target_can_win for r in readings):
        return Advice(NONE_NEEDED, None, _none_needed(readings), sources)
    deciding, *peers = tiers[0]
    if deciding.best is None:
        return Advice(
            NOT_APPLICABLE, None, f"{VERDICTS[NOT_APPLICABLE]}: no progressive party stands here.", sources
        )
    if not deciding.clear:
        return Advice(TOO_CLOSE, None, _narrow(deciding), sources)
    dissent = [r for r in peers if r.clear and r.best != deciding.best]
    if dissent:
        return Advice(TOO_CLOSE, None, _disagree(deciding, dissent), sources)
    return Advice(deciding.best, deciding.best, _named(deciding, readings), sources)


def reason_after_verdict(advice: str, reason: str) -> str:
    """The reason without the verdict it opens with, for a page that shows the verdict as its headline."""
    verdict = VERDICTS.get(advice)
    if verdict is None or not reason.startswith(verdict):
        return reason
    return capitalised(reason[len(verdict) :].lstrip(":. "))


def _leader(result: Result) -> str | None:
    contenders = {p: v for p, v in result.votes.items() if p != OTHERS}
    return max(contenders, key=contenders.get, default=None)


def _source(r: _Reading) -> Source:
    figures = sorted(r.evidence.shares.items(), key=lambda item: -item[1])
    return Source(
        label=r.evidence.label,
        date=r.evidence.date,
        kind=r.evidence.kind,
        points_to=r.points_to,
        target_can_win=r.target_can_win,
        figures={party: round(share, 1) for party, share in figures},
    )


def _name(code: str | None) -> str:
    return phrase(PartyRef(code or "", code or ""))


def day_in_words(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _when(r: _Reading) -> str:
    return f"{r.evidence.label} ({day_in_words(r.evidence.date)})"


_SPEAKER = f"{VERDICTS[NOT_APPLICABLE]}: this is the Speaker's seat. By convention the main parties do not stand against the Speaker, so there is no tactical vote to make."
_NO_TARGET = f"{VERDICTS[NOT_APPLICABLE]}: neither the Conservatives nor Reform UK stood here in any of the evidence, so there is no one to vote tactically against. Vote for the party you support."


def _no_evidence(election_date: date | None, as_of: date | None) -> str:
    when = f" dated before {day_in_words(election_date)}" if election_date else ""
    when = f" dated on or before {day_in_words(as_of)}" if as_of else when
    return f"{VERDICTS[NOT_APPLICABLE]}: there is no result or projection for this seat{when} to reason from."


def _none_needed(readings: list[_Reading]) -> str:
    closest = min(readings, key=lambda r: r.target_gap)
    return (
        f"{VERDICTS[NONE_NEEDED]}. Neither the Conservatives nor Reform UK "
        f"has a realistic chance here: at their closest, the {_when(closest)} puts {_name(closest.target)} "
        f"{closest.target_gap:.1f} points behind the leader."
    )


def _narrow(r: _Reading) -> str:
    return (
        f"{VERDICTS[TOO_CLOSE]}: the {_when(r)} puts {_name(r.best)} only {r.lead:.1f} points ahead of "
        f"{_name(r.runner)}, less than the {r.margin} points this kind of evidence can be off by."
    )


def _disagree(deciding: _Reading, dissent: list[_Reading]) -> str:
    others = "; ".join(f"the {_when(r)} points to {_name(r.best)}" for r in dissent)
    return f"{VERDICTS[TOO_CLOSE]}: the sources disagree. The {_when(deciding)} points to {_name(deciding.best)}; {others}."


def _named(r: _Reading, readings: list[_Reading]) -> str:
    best = PartyRef(r.best or "", r.best or "")
    target = r.target if r.target_can_win else next(x.target for x in readings if x.target_can_win)
    lead = (
        f"puts {phrase(best)} {r.lead:.1f} points ahead of {_name(r.runner)}, at least the {r.margin} "
        "points this kind of evidence can be off by"
        if r.runner
        else f"has {phrase(best)} as the only progressive party"
    )
    older = "".join(
        f" The older {_when(x)} pointed to {_name(x.best)}, but newer evidence outranks it."
        for x in readings
        if x.evidence.kind != r.evidence.kind and x.clear and x.best != r.best
    )
    return f"{capitalised(phrase(best))} {is_are(best)} best placed to beat {_name(target)} here: the {_when(r)} {lead}.{older}"
