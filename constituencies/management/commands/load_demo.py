from django.core.management.base import BaseCommand, CommandError

from constituencies.imports.demo import DemoLoader
from constituencies.rules.files import ImportFileError


class Command(BaseCommand):
    help = (
        "Load the demo data, offline: the 2010-2019 general election results shipped in the uk-politics "
        "package (House of Commons Library, Open Parliament Licence), the default parties and blocs, "
        "and the 2021 Batley and Spen by-election. Safe to run again: it replaces what it loaded before."
    )

    def handle(self, *args, **options):
        try:
            summaries = DemoLoader(progress=lambda message: self.stdout.write(f"  {message}")).load()
        except ImportFileError as exc:
            raise CommandError(f"Nothing was loaded.\n{exc.summary()}") from None
        for summary in summaries:
            self.stdout.write(self.style.SUCCESS(f"Loaded {summary}"))
