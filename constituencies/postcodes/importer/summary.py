"""What a postcode import did, or would do in a dry run: counts, skipped codes, time per phase."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from constituencies.rules.files import MAX_PROBLEMS_SHOWN


@dataclass
class PostcodeImportSummary:
    file: str
    layout: str
    boundary_set: str
    rows_read: int = 0
    stored: int = 0
    terminated: int = 0
    with_coordinates: int = 0
    replaced: int = 0
    constituencies_covered: int = 0
    constituencies_total: int = 0
    unknown_codes: Counter = field(default_factory=Counter)
    unknown_examples: dict = field(default_factory=dict)
    dry_run: bool = False
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)  # seconds spent reading and copying, indexing, swapping

    @property
    def live(self) -> int:
        return self.stored - self.terminated

    @property
    def skipped(self) -> int:
        return sum(self.unknown_codes.values())

    def lines(self) -> list[str]:
        verb = "Would store" if self.dry_run else "Stored"
        lines = [
            f"Read {self.rows_read:,} rows from {self.file} ({self.layout}).",
            f"{verb} {self.stored:,} postcodes on the {self.boundary_set}: {self.live:,} live, "
            f"{self.terminated:,} terminated, {self.with_coordinates:,} with coordinates; "
            f"{self.constituencies_covered:,} of {self.constituencies_total:,} constituencies have postcodes.",
            f"{'Would replace' if self.dry_run else 'Replaced'} the {self.replaced:,} postcodes stored "
            "before for these boundaries.",
        ]
        if self.unknown_codes:
            lines.append(
                f"Skipped {self.skipped:,} rows whose constituency code is not a constituency on the "
                f"{self.boundary_set}:"
            )
            for code, count in self.unknown_codes.most_common(MAX_PROBLEMS_SHOWN):
                shown = code or "(blank)"
                rows = "row" if count == 1 else "rows"
                lines.append(f"  {shown}: {count:,} {rows}, e.g. {self.unknown_examples[code]}")
            hidden = len(self.unknown_codes) - MAX_PROBLEMS_SHOWN
            if hidden > 0:
                lines.append(f"  ... and {hidden} more codes")
        phases = ", ".join(f"{seconds:.1f} s {phase}" for phase, seconds in self.phases.items())
        lines.append(f"Took {self.seconds:.1f} s" + (f" ({phases})." if phases else "."))
        return lines

    def __str__(self):
        return "\n".join(self.lines())
