from django.core.management.base import BaseCommand, CommandError

from constituencies.imports.demo import DemoLoader
from constituencies.rules.files import ImportFileError


class Command(BaseCommand):
    help = (
        "Load the demo data, offline: the 2010-2019 general election results shipped in the uk-politics "
        "package and the 2024 results in fixtures/ (House of Commons Library, Open Parliament Licence), with "
        "the 2024 candidates, the default parties and blocs, the 2021 Batley and Spen by-election and a few "
        "real postcodes, and the 2024 constituencies' centres (mySociety, CC BY 4.0). Safe to run again: what is already loaded from the same files is left alone."
    )

    def handle(self, *args, **options):
        loader = DemoLoader()
        try:
            loader.load()
        except ImportFileError as exc:
            raise CommandError(f"Nothing was loaded.\n{exc.summary()}") from None
        for summary in loader.summaries:
            self.stdout.write(self.style.SUCCESS(f"Loaded {summary}"))
        for written, boundaries in loader.postcodes:
            self.stdout.write(f"Loaded {written} demo postcodes on the {boundaries}")
        if loader.centres and loader.centres.updated:
            self.stdout.write(
                f"Loaded {loader.centres.updated} constituency centres on the {loader.centres.boundary_set}"
            )
        if loader.unchanged:
            self.stdout.write(f"Already loaded, files unchanged: {', '.join(loader.unchanged)}")
