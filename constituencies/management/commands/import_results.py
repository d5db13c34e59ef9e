import getpass
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from constituencies.imports.layouts import LAYOUTS
from constituencies.imports.service import ResultsUpload, apply_import, preview_import
from constituencies.models import WELL_KNOWN_BOUNDARY_SETS, BoundarySet, Election, ResultsImport
from constituencies.rules.files import ImportFileError, read_bytes

KIND_BY_SLUG_PREFIX = {
    "ge": Election.Kind.GENERAL,
    "by-": Election.Kind.BY_ELECTION,
    "notional": Election.Kind.NOTIONAL,
}


class Command(BaseCommand):
    help = (
        "Import one election's results from a CSV file, replacing any results already loaded for it. "
        "Reads the House of Commons Library constituency and candidate files, notional results and "
        "the plain long format ons_id,constituency,party,votes[,candidate]."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--election", required=True, help='Election slug, e.g. "ge2024"')
        parser.add_argument(
            "--format", choices=sorted(LAYOUTS), help="Column layout (default: detect from header)"
        )
        parser.add_argument(
            "--candidates",
            help="The HoC candidate-level file, to add candidate names to a constituency file",
        )
        parser.add_argument("--name", help="Election name, when creating it (default from the slug)")
        parser.add_argument(
            "--date", type=date.fromisoformat, help="Polling day YYYY-MM-DD, when creating it"
        )
        parser.add_argument(
            "--kind",
            choices=Election.Kind.values,
            help="Default from the slug: ge..., by-..., notional...",
        )
        parser.add_argument(
            "--boundaries", help='Boundary set, e.g. "2010" or "2024", when creating the election'
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the import would change (seats, winners, tragedies, marginality) and write nothing",
        )

    def handle(self, *args, **options):
        election = self.election(options)
        try:
            file_name, data = read_bytes(options["file"])
            candidates_name, candidates_data = "", None
            if options["candidates"]:
                candidates_name, candidates_data = read_bytes(options["candidates"])
            upload = ResultsUpload(file_name, data, options["format"], candidates_name, candidates_data)
            if options["dry_run"]:
                outcome = preview_import(upload, election, progress=self.stdout.write)
            else:
                outcome = apply_import(
                    upload,
                    election,
                    source=ResultsImport.Source.COMMAND,
                    username=command_line_user(),
                    progress=self.stdout.write,
                )
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported.\n{exc.summary()}") from None
        parsed, summary = outcome.parsed, outcome.summary
        self.stdout.write(
            f"Read {len(parsed.contests)} constituencies from {parsed.file_name} ({parsed.layout.label})"
            + (f", with candidates from {parsed.candidates_file_name}" if parsed.candidates_file_name else "")
        )
        for line in describe_changes(summary):
            self.stdout.write(f"  {line}")
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written: would import {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}"))

    def election(self, options) -> Election:
        slug = options["election"]
        existing = Election.objects.filter(slug=slug).select_related("boundary_set").first()
        if existing:
            check_matches_existing(existing, options)
            return existing
        kind = options["kind"] or next(
            (kind for prefix, kind in KIND_BY_SLUG_PREFIX.items() if slug.startswith(prefix)), None
        )
        missing = [
            f"--{flag}"
            for flag, value in [
                ("date", options["date"]),
                ("boundaries", options["boundaries"]),
                ("kind", kind),
            ]
            if not value
        ]
        if missing:
            raise CommandError(
                f"Election {slug} does not exist yet; to create it, also give {', '.join(missing)}"
            )
        # Saved by the importer, inside its transaction, so a failed import leaves no trace.
        election = Election(
            slug=slug,
            name=options["name"] or default_election_name(slug, kind, options["date"]),
            date=options["date"],
            kind=kind,
            boundary_set=known_boundary_set(options["boundaries"]),
        )
        return election


def check_matches_existing(election: Election, options) -> None:
    """Options describing an existing election must describe it as it is: a different polling day or
    kind most likely means a second election given the same slug by mistake, whose import would
    replace the first one's results. The command never edits an election (the admin does)."""
    given = {
        "--boundaries": (options["boundaries"], election.boundary_set.code),
        "--date": (options["date"], election.date),
        "--kind": (options["kind"], election.kind),
        "--name": (options["name"], election.name),
    }
    differing = [
        f"{flag} {value} (it is {stored})"
        for flag, (value, stored) in given.items()
        if value and value != stored
    ]
    if differing:
        raise CommandError(
            f"{election.slug} exists already and the options describe it differently: {'; '.join(differing)}. "
            "Nothing was imported. Leave those options out to import into it as it is, or use another "
            "--election for a different election."
        )


def known_boundary_set(code: str) -> BoundarySet:
    """The boundary set of that code: one already loaded, or a well-known one, new (saved by the importer)."""
    boundary_set = BoundarySet.objects.filter(code=code).first()
    if boundary_set:
        return boundary_set
    if code not in WELL_KNOWN_BOUNDARY_SETS:
        known = sorted(
            set(WELL_KNOWN_BOUNDARY_SETS) | set(BoundarySet.objects.values_list("code", flat=True))
        )
        raise CommandError(
            f'There is no "{code}" boundary set: Seat Finder knows {", ".join(known)}. Nothing was imported. '
            "A new boundary set is added in the admin (Boundary sets) before an election fought on it."
        )
    return BoundarySet(code=code, name=f"{code} constituency boundaries")


def default_election_name(slug: str, kind: str, polling_day: date) -> str:
    if kind == Election.Kind.GENERAL:
        return f"{polling_day.year} general election"
    if kind == Election.Kind.NOTIONAL:
        return f"{polling_day.year} notional result"
    return slug.replace("-", " ").capitalize()


def command_line_user() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def describe_changes(summary) -> list[str]:
    """The preview as plain lines, for the terminal."""
    changes = summary.changes
    lines = [
        f"{len(changes.new_results)} new seat results, {changes.replaced} replaced "
        f"({changes.unchanged} unchanged, {len(changes.figures_changed)} with different figures), "
        f"{len(changes.removed)} removed (in the election but not in the file)",
        f"{summary.candidacies} candidacies (replacing {summary.candidacies_replaced})",
    ]
    if summary.new_constituencies:
        lines.append(f"{len(summary.new_constituencies)} constituencies created")
    if summary.new_parties:
        lines.append("new parties: " + ", ".join(f"{code} ({name})" for code, name in summary.new_parties))
    for title, items in [
        ("winner", changes.winner_changes),
        ("tragedy status", changes.tragedy_changes),
        ("marginality", changes.marginality_changes),
    ]:
        lines.append(f"{len(items)} seats change {title}")
        lines.extend(f"  {c.name}: {c.was} -> {c.now} (compared with {c.compared_with})" for c in items[:20])
        if len(items) > 20:
            lines.append(f"  ... and {len(items) - 20} more")
    return lines
