import getpass
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from constituencies.imports.elections import ElectionOptions, ElectionOptionsError
from constituencies.imports.layouts import LAYOUTS
from constituencies.imports.service import ResultsUpload, apply_import, describe_changes, preview_import
from constituencies.models import Election, ResultsImport
from constituencies.rules.explain import counted
from constituencies.rules.files import ImportFileError


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
            "--replace-candidates",
            action="store_true",
            help="Import even where the file would remove candidate names stored now (a dry run lists them); "
            "without it such an import is refused. Names the file's figures allow are kept either way",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the import would change (seats, winners, tragedies, marginality) and write nothing",
        )

    def handle(self, *args, **options):
        try:
            election = ElectionOptions(
                options["election"], options["date"], options["name"], options["kind"], options["boundaries"]
            ).election()
        except ElectionOptionsError as exc:
            raise CommandError(str(exc)) from None
        try:
            upload = ResultsUpload.from_files(options["file"], options["format"], options["candidates"])
            if options["dry_run"]:
                outcome = preview_import(upload, election, progress=self.stdout.write)
            else:
                outcome = apply_import(
                    upload,
                    election,
                    source=ResultsImport.Source.COMMAND,
                    username=command_line_user(),
                    progress=self.stdout.write,
                    replace_candidates=options["replace_candidates"],
                )
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported.\n{exc.summary()}") from None
        parsed, summary = outcome.parsed, outcome.summary
        self.stdout.write(
            f"Read {counted(len(parsed.contests), 'constituency')} from {parsed.file_name} ({parsed.layout.label})"
            + (f", with candidates from {parsed.candidates_file_name}" if parsed.candidates_file_name else "")
        )
        for line in describe_changes(summary):
            self.stdout.write(f"  {line}")
        if options["dry_run"]:
            self.stdout.write(
                self.style.WARNING(f"Dry run, nothing written: would import {summary.headline()}")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary.headline()}"))


def command_line_user() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"
