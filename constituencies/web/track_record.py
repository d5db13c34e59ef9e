"""Two public pages about the advice: /track-record/ (how the advice of the day before did at every general
election loaded that has an earlier one to reason from) and /methodology/ (how the advice works, in plain
words, with the constants of rules/advice.py). Each in a fixed number of queries, cached on the seat data
version like the listings."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from constituencies.imports.projection_layouts import AVERAGE_TOTAL_TOLERANCE, SHARE_TOTAL_TOLERANCE
from constituencies.models import Party
from constituencies.rules import advice as rules
from constituencies.rules.backtest import Score
from constituencies.seats.data_version import cached_by_seat_data
from constituencies.seats.links import seat_path
from constituencies.seats.track_record import ElectionRecord, track_record


@dataclass(frozen=True)
class SeatLink:
    name: str
    url: str


@dataclass(frozen=True)
class WrongPick:
    seat: SeatLink
    named: str  # the party named, by name
    actual: str  # the progressive party that polled the most votes, by name


@dataclass(frozen=True)
class RecordView:
    """One election's record, ready for the template."""

    record: ElectionRecord
    scopes: list[tuple[str, Score]]
    wrong: list[WrongPick]
    none_needed_but_target_won: list[SeatLink]


def record_view(record: ElectionRecord) -> RecordView:
    election, parties = record.election, record.party_names

    def link(ons_id: str) -> SeatLink:
        seat = record.seats[ons_id]
        return SeatLink(seat.name, seat_path(seat.slug, election.slug))

    scopes = [("Great Britain", record.great_britain)] if record.has_northern_ireland else []
    scopes.append(
        (
            "Every seat" if record.has_northern_ireland else "Every seat (all in Great Britain)",
            record.everywhere,
        )
    )
    return RecordView(
        record=record,
        scopes=scopes,
        wrong=[
            WrongPick(link(m.seat), parties.get(m.named, m.named), parties.get(m.actual, m.actual or "none"))
            for m in record.everywhere.wrong
        ],
        none_needed_but_target_won=[link(s) for s in record.everywhere.none_needed_but_target_won],
    )


# Neither page reads a query parameter: any sent (junk, or a campaign tag) shares the one kept answer.
@method_decorator(cached_by_seat_data(params=()), name="dispatch")
class TrackRecordView(TemplateView):
    template_name = "constituencies/track_record.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["records"] = [record_view(r) for r in track_record()]
        return context


@method_decorator(cached_by_seat_data(params=()), name="dispatch")
class MethodologyView(TemplateView):
    template_name = "constituencies/methodology.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blocs = {Party.Bloc.PROGRESSIVE: [], Party.Bloc.TARGET: []}
        for name, bloc in Party.objects.exclude(bloc="").order_by("name").values_list("name", "bloc"):
            blocs[bloc].append(name)
        context.update(
            progressive=blocs[Party.Bloc.PROGRESSIVE],
            target=blocs[Party.Bloc.TARGET],
            result_margin=rules.RESULT_MARGIN_POINTS,
            projection_margin=rules.PROJECTION_MARGIN_POINTS,
            share_tolerance=SHARE_TOTAL_TOLERANCE,
            average_tolerance=AVERAGE_TOTAL_TOLERANCE,
        )
        return context
