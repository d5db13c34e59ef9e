from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seatfinder.embedded_db import stop_embedded_server


class Command(BaseCommand):
    help = (
        "Show the database in use, or stop the embedded PostgreSQL server (used when DATABASE_URL is unset)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stop", action="store_true", help="Stop the embedded server")
        parser.add_argument(
            "--url", action="store_true", help="Print a DATABASE_URL for the current database"
        )

    def handle(self, *args, **options):
        if options["stop"]:
            if settings.DATABASE_URL:
                raise CommandError("DATABASE_URL is set: there is no embedded server to stop")
            stopped = stop_embedded_server(settings.EMBEDDED_POSTGRES_DIR)
            self.stdout.write(
                "Stopped the embedded PostgreSQL" if stopped else "The embedded PostgreSQL was not running"
            )
            return
        db = settings.DATABASES["default"]
        if options["url"]:
            host = db["HOST"]
            if host.startswith("/"):
                self.stdout.write(f"postgresql://{db['USER']}@/{db['NAME']}?host={host}&port={db['PORT']}")
            else:
                self.stdout.write(f"postgresql://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}")
            return
        self.stdout.write(f"{db['NAME']} on {db['HOST'] or 'localhost'}:{db['PORT']}")
