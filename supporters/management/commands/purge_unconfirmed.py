"""manage.py purge_unconfirmed: delete the signups never confirmed within their link's 7 days (run it daily)."""

from django.core.management.base import BaseCommand

from supporters.services.signup import purge_unconfirmed


class Command(BaseCommand):
    help = "Delete pending signups whose confirmation link has expired."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_unconfirmed()} unconfirmed signups older than their link.")
