from datetime import date

from django.core.management.base import BaseCommand, CommandError

from constituencies.importers import LAYOUTS, ImportFileError, ResultsImporter, read_results_file
from constituencies.importers.files import read_path
from constituencies.importers.layouts import add_candidate_details
from constituencies.models import BoundarySet, Election

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

    def handle(self, *args, **options):
        election = self.election(options)
        try:
            file_name, text = read_path(options["file"])
            layout, contests = read_results_file(text, file_name, options["format"], election.date)
            self.stdout.write(f"Read {len(contests)} constituencies from {file_name} ({layout.label})")
            if options["candidates"]:
                candidates_name, candidates_text = read_path(options["candidates"])
                _, candidates = read_results_file(
                    candidates_text, candidates_name, "hoc-candidate", election.date
                )
                contests = add_candidate_details(contests, candidates, file_name, candidates_name)
                self.stdout.write(f"Added candidates from {candidates_name}")
            summary = ResultsImporter(election, contests, file_name, progress=self.stdout.write).run()
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported.\n{exc.summary()}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}"))

    def election(self, options) -> Election:
        slug = options["election"]
        existing = Election.objects.filter(slug=slug).select_related("boundary_set").first()
        if existing:
            if options["boundaries"] and options["boundaries"] != existing.boundary_set.code:
                raise CommandError(
                    f"{slug} exists on the {existing.boundary_set.code} boundaries, not {options['boundaries']}"
                )
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
            boundary_set=BoundarySet.objects.filter(code=options["boundaries"]).first()
            or BoundarySet(
                code=options["boundaries"], name=f"{options['boundaries']} constituency boundaries"
            ),
        )
        return election


def default_election_name(slug: str, kind: str, polling_day: date) -> str:
    if kind == Election.Kind.GENERAL:
        return f"{polling_day.year} general election"
    if kind == Election.Kind.NOTIONAL:
        return f"{polling_day.year} notional result"
    return slug.replace("-", " ").capitalize()
