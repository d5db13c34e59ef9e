from django.core.management.base import BaseCommand, CommandError

from constituencies.models import BoundarySet
from constituencies.postcodes.importer import PostcodeImporter
from constituencies.rules.files import ImportFileError


class Command(BaseCommand):
    help = (
        "Replace the postcode directory of one boundary set with the postcodes in FILE: the ONS Postcode "
        "Directory (ONSPD), the National Statistics Postcode Lookup (NSPL), mySociety's "
        "uk_parliament_2025_postcode_lookup, or any CSV with a postcode column and a constituency code "
        "column. Reads a CSV or the zip as the ONS publishes it; the layout is detected from the header. "
        "Look-ups keep using the old directory until the new one is complete; on any error it stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A CSV file, or an ONS zip download")
        parser.add_argument(
            "--boundaries",
            default="2024",
            help='The boundary set the file\'s constituency codes belong to (default "2024")',
        )
        parser.add_argument(
            "--short-codes",
            metavar="FILE",
            help="For mySociety's lookup: a CSV mapping short codes to ONS codes (short_code and gss_code, "
            "or mysoc_short_code and ons_id). Default: notional-2019-on-2024-boundaries.csv in "
            "SEATFINDER_DATA_DIR",
        )
        parser.add_argument(
            "--constituency-column",
            metavar="NAME",
            help="The column of constituency codes, when the file has several (default: pconNNcd for the "
            "boundary set's year, then pcon)",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="Replace the directory even with a file of under half as many postcodes",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, report, change nothing"
        )

    def handle(self, *args, **options):
        boundary_set = BoundarySet.objects.filter(code=options["boundaries"]).first()
        if boundary_set is None:
            known = ", ".join(BoundarySet.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(
                f'There is no "{options["boundaries"]}" boundary set (loaded: {known}). Import an election '
                "fought on those boundaries first (import_results, or load_demo for 2010)."
            )
        importer = PostcodeImporter(
            options["file"],
            boundary_set,
            progress=self.stdout.write,
            short_codes_file=options["short_codes"],
            constituency_column=options["constituency_column"],
            allow_shrink=options["allow_shrink"],
            dry_run=options["dry_run"],
        )
        try:
            summary = importer.run()
        except ImportFileError as exc:
            raise CommandError(
                f"Nothing was imported; the postcode directory is unchanged.\n{exc.summary()}"
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        if summary.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Postcode directory for the {boundary_set.name} replaced."))
