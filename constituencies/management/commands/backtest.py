from django.core.management.base import BaseCommand, CommandError

from constituencies.models import Election
from constituencies.seats.advice import AdviceUnavailable
from constituencies.seats.track_record import ElectionRecord, NoResults, backtest


class Command(BaseCommand):
    help = (
        "Give the advice as it stood the day before each past election named and compare it with what "
        "happened: seats advised, parties named and how many of them were right, none-needed, too-close, "
        "and the wrong picks."
    )

    def add_arguments(self, parser):
        parser.add_argument("elections", nargs="+", metavar="ELECTION", help='Election slug, e.g. "ge2024"')

    def handle(self, *args, **options):
        for slug in options["elections"]:
            election = Election.objects.select_related("boundary_set").filter(slug=slug).first()
            if election is None:
                known = ", ".join(Election.objects.order_by("-date").values_list("slug", flat=True))
                raise CommandError(f"There is no election {slug}. Loaded: {known or 'none'}.")
            try:
                record = backtest(election)
            except (AdviceUnavailable, NoResults) as exc:
                raise CommandError(str(exc)) from None
            for line in describe(record):
                self.stdout.write(line)


def describe(record: ElectionRecord) -> list[str]:
    election, seats, parties = record.election, record.seats, record.party_names
    lines = [f"{election.name} ({election.slug}), advice as of {record.as_of.isoformat()}:"]
    scopes = [("All seats", record.everywhere)]
    if record.has_northern_ireland:
        scopes.append(("Great Britain", record.great_britain))
    for label, s in scopes:
        lines.append(
            f"  {label}: {s.advised} seats advised; a party named in {s.named}, right in {s.right} "
            f"({s.right_pct:.1f}%); none needed {s.none_needed}; too close {s.too_close}; not applicable "
            f"{s.not_applicable}. A party named in {s.named_pct:.1f}% of the {s.contested} seats where the "
            "advice says the target bloc can win."
        )
    s = record.everywhere
    lines.append(f"  Wrong ({len(s.wrong)}):" if s.wrong else "  Wrong: none")
    lines += [
        f"    {seats[m.seat].name} ({m.seat}): named {parties.get(m.named, m.named)}, but "
        f"{parties.get(m.actual, m.actual) if m.actual else 'no progressive party'} polled the most progressive votes"
        for m in s.wrong
    ]
    if s.none_needed_but_target_won:
        lines.append(
            f"  No tactical vote needed, but a target party won ({len(s.none_needed_but_target_won)}):"
        )
        lines += [f"    {seats[seat].name} ({seat})" for seat in s.none_needed_but_target_won]
    return lines
