from datetime import date

from django.core.management.base import BaseCommand, CommandError

from constituencies.imports.projections import ProjectionImporter, ProjectionUpload
from constituencies.management.commands.import_results import command_line_user
from constituencies.rules.files import ImportFileError, read_bytes


class Command(BaseCommand):
    help = (
        "Import poll projections (per-seat vote shares) from a CSV file, in one transaction: a collection of "
        "MRPs (Short Codes, MRP Poll Sheet, Con, Lab, ...: each pollster kept as its own projection, the "
        "AVERAGE rows as --name), or one projection as ons_id,party,share or ons_id,<party>,<party>,..."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--name", required=True, help='e.g. "MRP average (June 2024)"')
        parser.add_argument(
            "--date", required=True, type=date.fromisoformat, help="When it was published, YYYY-MM-DD"
        )
        parser.add_argument("--publisher", default="", help="Who made it (default: the name)")
        parser.add_argument(
            "--average", action="store_true", help="A plain file that averages several pollsters"
        )
        parser.add_argument(
            "--short-codes",
            help="A CSV mapping mySociety short codes to ONS codes (short_code, gss_code). Default: "
            "mysociety-parl-constituencies-2025.csv in SEATFINDER_DATA_DIR",
        )
        parser.add_argument(
            "--boundaries", default="", help="Boundary set code (default: the one holding every seat)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check everything and write nothing")

    def handle(self, *args, **options):
        try:
            file_name, data = read_bytes(options["file"])
            short_codes = read_bytes(options["short_codes"]) if options["short_codes"] else None
            upload = ProjectionUpload(
                file_name,
                data,
                name=options["name"],
                date=options["date"],
                publisher=options["publisher"],
                is_average=options["average"],
                short_codes=short_codes,
                boundaries=options["boundaries"],
            )
            summary = ProjectionImporter(upload, progress=self.stdout.write).run(
                dry_run=options["dry_run"], username=command_line_user()
            )
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported.\n{exc.summary()}") from None
        self.stdout.write(f"Read {summary.rows_read} rows from {summary.file_name} ({summary.layout} layout)")
        for source in summary.sources:
            self.stdout.write(f"  {source}")
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written: would import {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}"))
