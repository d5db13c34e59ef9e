from django.core.management.base import BaseCommand, CommandError

from constituencies.imports.centres import CentresImporter
from constituencies.rules.files import ImportFileError, read_bytes


class Command(BaseCommand):
    help = (
        "Import each constituency's centre point from a CSV file with gss_code, center_lat and center_lon "
        "(mySociety's parl_constituencies_2025.csv, as in fixtures/), in one transaction: the nearest seats "
        "where help counts are measured from them. Every row is checked first; any problem and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--boundaries", default="2024", help="Boundary set code (default: 2024)")
        parser.add_argument("--dry-run", action="store_true", help="Check everything and write nothing")

    def handle(self, *args, **options):
        try:
            file_name, data = read_bytes(options["file"])
            importer = CentresImporter(file_name, data, options["boundaries"], progress=self.stdout.write)
            summary = importer.run(dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported.\n{exc.summary()}") from None
        for note in summary.notes:
            self.stdout.write(f"  {note}")
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written: {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}"))
