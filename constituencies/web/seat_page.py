"""Everything the seat page shows, gathered in a fixed number of queries whatever the number of candidates.

The view stays thin: `build_seat_page(slug, election_slug)` returns a SeatPage or raises SeatNotFound
with a message a person can act on. The wording of the recommendation lives in explain.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import OuterRef, Subquery
from django.utils.http import urlencode

from constituencies.models import (
    Candidacy,
    Constituency,
    Election,
    Party,
    RecommendationOverride,
    Result,
    SeatAssessment,
)
from constituencies.rules import advice as advice_rules
from constituencies.rules import arithmetic, explain
from constituencies.seats.current import versions_of_slug
from constituencies.seats.help_counts import HelpCounts, help_for_seat
from constituencies.seats.links import seat_path
from constituencies.seats.recommendations import (
    EffectiveRecommendation,
    join_override,
    recommendation_for,
)
from constituencies.web.seat_advice import AdvicePanel, advice_panel
from constituencies.web.seat_change import ChangePanel, change_panel

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


class SeatNotFound(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Bar:
    party: Party
    candidate: str
    votes: int
    share_pct: float  # of valid votes
    width_pct: float  # of the winner's votes, so the longest bar fills the chart
    is_winner: bool
    is_combined: bool


@dataclass(frozen=True)
class Badge:
    slug: str  # css modifier: tragedy, very_marginal, marginal, safe
    label: str
    explanation: str


@dataclass(frozen=True)
class HistoryRow:
    result: Result
    assessment: SeatAssessment | None
    url: str
    is_shown: bool


@dataclass
class SeatPage:
    constituency: Constituency
    versions: list[Constituency]  # the same slug on every boundary set, the default version first
    election: Election | None = None
    result: Result | None = None
    assessment: SeatAssessment | None = None
    bars: list[Bar] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    recommendation: explain.Recommendation | None = None  # what the numbers say, in words
    effective: EffectiveRecommendation | None = None  # whom the site recommends, override included
    mp_label: str = ""
    is_current_boundaries: bool = False
    canonical_path: str = ""
    version_urls: list[tuple[Constituency, str]] = field(default_factory=list)
    advice: AdvicePanel | None = None  # the advice from the evidence (web/seat_advice.py), the headline
    change: ChangePanel | None = None  # this result beside the previous one on these boundaries
    help_counts: HelpCounts | None = (
        None  # a safe seat's nearest seats where help counts (seats/help_counts.py)
    )

    @property
    def turnout_pct(self) -> float | None:
        return self.result.turnout_pct if self.result else None

    @property
    def shows_recommendation(self) -> bool:
        """The last result's own sentence, kept beneath the advice; left out where the evidence says no
        tactical vote applies (Northern Ireland, the Speaker's seat), which it would contradict."""
        if self.recommendation is None:
            return False
        quiet = (advice_rules.NOT_APPLICABLE, advice_rules.NONE_NEEDED)
        return not (self.advice is not None and self.advice.shows and self.advice.advice.advice in quiet)

    @property
    def override(self) -> RecommendationOverride | None:
        return self.effective.override if self.effective else None


def build_seat_page(slug: str, election_slug: str | None = None) -> SeatPage:
    versions = _versions(slug)
    if not versions:
        raise SeatNotFound(f"We have no constituency at this address (“{slug}”). Try searching by name.")
    default = versions[0]
    constituency, election = _constituency_at(versions, election_slug)
    results = _results_with_overrides(constituency)
    page = SeatPage(
        constituency=constituency,
        versions=versions,
        is_current_boundaries=constituency.is_current,
    )
    page.version_urls = [
        (c, seat_path(c.slug, None if c is default else c.latest_election_slug))
        for c in versions
        if c.pk != constituency.pk
    ]
    if election is not None:
        shown = next((r for r in results if r.election_id == election.pk), None)
        if shown is None:
            raise SeatNotFound(f"There was no contest in {constituency.name} at the {election.name}.")
    else:
        shown = results[0] if results else None

    # The page without ?election= shows the default version's latest result; links to it leave it out.
    on_default = constituency.pk == default.pk
    default_slug = results[0].election.slug if results else None
    is_default = on_default and (shown is None or shown.election.slug == default_slug)
    page.canonical_path = seat_path(slug, None if is_default else shown.election.slug)
    page.history = [
        HistoryRow(
            result=r,
            assessment=_assessment(r),
            url=seat_path(slug, None if on_default and r.election.slug == default_slug else r.election.slug),
            is_shown=r is shown,
        )
        for r in results
    ]
    page.advice = advice_panel(constituency, election, results)
    if shown is None:
        return page

    page.result, page.election, page.assessment = shown, shown.election, _assessment(shown)
    candidacies = list(
        Candidacy.objects.filter(result=shown)
        .select_related("party")
        .order_by("is_combined", "-votes", "party__code")
    )
    page.bars = bars(candidacies, shown.valid_votes, page.assessment)
    if page.assessment:
        page.badges = badges(page.assessment)
        page.recommendation = explain.recommend(
            seat_facts(page.assessment, shown.election, candidacies, shown.valid_votes)
        )
        page.effective = recommendation_for(page.assessment, getattr(shown, "seat_override", None))
        page.mp_label = _mp_label(page, is_latest=shown is results[0])
        page.change = change_panel(
            constituency, shown.election, page.assessment, candidacies, shown.valid_votes
        )
        page.help_counts = help_for_seat(constituency, page.election, page.assessment)
    return page


def _versions(slug: str) -> list[Constituency]:
    """Every constituency with this slug, the default version first (current.py), each with the slug of
    its latest election."""
    latest = Result.objects.filter(constituency=OuterRef("pk")).order_by("-election__date", "election__slug")
    return versions_of_slug(
        Constituency.objects.filter(slug=slug).annotate(
            latest_election_slug=Subquery(latest.values("election__slug")[:1])
        )
    )


def _constituency_at(
    versions: list[Constituency], election_slug: str | None
) -> tuple[Constituency, Election | None]:
    """The version fought at the election asked for (the default if none was), and that election."""
    default = versions[0]
    if not election_slug:
        return default, None
    election = None
    if SLUG.match(election_slug):
        election = Election.objects.select_related("boundary_set").filter(slug=election_slug).first()
    if election is None:
        raise SeatNotFound(f"We have no election called “{election_slug[:80]}”.")
    constituency = next((c for c in versions if c.boundary_set_id == election.boundary_set_id), None)
    if constituency is None:
        raise SeatNotFound(
            f"{default.name} is not a constituency on the {election.boundary_set.name}, "
            f"which the {election.name} was fought on."
        )
    return constituency, election


def _results_with_overrides(constituency: Constituency) -> list[Result]:
    """The seat's results, newest first, each with its assessment and the editors' override (if any) joined."""
    return list(
        join_override(Result.objects.filter(constituency=constituency))
        .select_related(
            "election",
            "assessment__winner",
            "assessment__runner_up",
            "assessment__best_placed",
            "assessment__next_progressive",
            "seat_override__recommended_party",
        )
        .order_by("-election__date", "election__slug")
    )


def _assessment(result: Result) -> SeatAssessment | None:
    try:
        return result.assessment
    except SeatAssessment.DoesNotExist:
        return None


def bars(candidacies: list[Candidacy], valid_votes: int, assessment: SeatAssessment | None) -> list[Bar]:
    top = max((c.votes for c in candidacies), default=0)
    total = valid_votes or sum(c.votes for c in candidacies)
    winner_id = assessment.winner_id if assessment else None
    shown_winner = False
    out = []
    for c in candidacies:
        is_winner = not shown_winner and not c.is_combined and c.party_id == winner_id
        shown_winner = shown_winner or is_winner
        out.append(
            Bar(
                party=c.party,
                candidate=c.candidate_name,
                votes=c.votes,
                share_pct=100.0 * c.votes / total if total else 0.0,
                width_pct=round(100.0 * c.votes / top, 1) if top else 0.0,
                is_winner=is_winner,
                is_combined=c.is_combined,
            )
        )
    return out


def badges(assessment: SeatAssessment) -> list[Badge]:
    out = []
    if assessment.is_tragedy:
        out.append(
            Badge(
                "tragedy",
                "Progressive tragedy",
                "a Conservative or Reform candidate won although the progressive parties together polled more votes",
            )
        )
    out.append(
        Badge(
            assessment.marginality,
            assessment.get_marginality_display(),
            arithmetic.MARGINALITY_EXPLAINED.get(assessment.marginality, ""),
        )
    )
    return out


def party_ref(party: Party | None) -> explain.PartyRef | None:
    return explain.PartyRef(party.code, party.name, party.bloc) if party else None


def seat_facts(
    assessment: SeatAssessment, election: Election, candidacies: list[Candidacy], valid_votes: int
) -> explain.SeatFacts:
    ranked = [c for c in candidacies if not c.is_combined]
    ranked.sort(key=lambda c: -c.votes)
    target = next((c for c in ranked if c.party.bloc == Party.Bloc.TARGET), None)
    position = None
    if assessment.best_placed_id is not None:
        if assessment.best_placed_id == assessment.winner_id:
            position = 1
        else:
            position = next(
                (i for i, c in enumerate(ranked, start=1) if c.party_id == assessment.best_placed_id), None
            )
    return explain.SeatFacts(
        election_name=election.name,
        winner=party_ref(assessment.winner),
        winner_votes=assessment.winner_votes,
        runner_up=party_ref(assessment.runner_up),
        runner_up_votes=assessment.runner_up_votes,
        majority=assessment.majority,
        majority_pct=float(assessment.majority_pct),
        progressive_total=assessment.progressive_total,
        is_tragedy=assessment.is_tragedy,
        best_placed=party_ref(assessment.best_placed),
        best_placed_votes=assessment.best_placed_votes,
        best_placed_position=position,
        gap_to_win=assessment.gap_to_win,
        next_progressive=party_ref(assessment.next_progressive),
        lead_over_next_progressive=assessment.lead_over_next_progressive,
        lead_over_next_progressive_pct=(
            float(assessment.lead_over_next_progressive_pct)
            if assessment.lead_over_next_progressive_pct is not None
            else None
        ),
        lead_is_clear=assessment.lead_is_clear,
        is_tie=assessment.is_tie,
        is_notional=election.kind == Election.Kind.NOTIONAL,
        valid_votes=valid_votes,
        strongest_target=party_ref(target.party) if target else None,
        strongest_target_votes=target.votes if target else 0,
    )


def _mp_label(page: SeatPage, is_latest: bool) -> str:
    if page.election.kind == Election.Kind.NOTIONAL:
        return "Notional winner"
    if not page.assessment.winner_name:
        return "Winning party"
    if is_latest and page.is_current_boundaries:
        return "Current MP"
    return f"MP elected at the {page.election.name}"


def share_links(url: str, title: str, text: str) -> list[tuple[str, str]]:
    """Plain links to share a page: no JavaScript, no third-party script on our page."""
    message = f"{text} {url}"
    return [
        ("Email", f"mailto:?subject={quote(title)}&body={quote(message)}"),
        ("WhatsApp", f"https://wa.me/?text={quote(message)}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={quote(message)}"),
        ("X (Twitter)", f"https://twitter.com/intent/tweet?{urlencode({'text': text, 'url': url})}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}"),
    ]


def meta_description(page: SeatPage, limit: int = 300) -> str:
    c = page.constituency
    where = c.region or c.country
    text = f"{c.name}{f' ({where})' if where else ''}."
    if page.advice is not None and page.advice.shows:
        text += f" {page.advice.headline}. {page.advice.short_reason}"
    elif page.recommendation:
        text += f" {page.recommendation.headline}"
    elif page.assessment:
        text += f" {page.assessment.winner.name} won at the {page.election.name}."
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
