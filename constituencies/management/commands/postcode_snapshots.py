from django.core.management.base import BaseCommand, CommandError

from constituencies.postcodes.snapshots import snapshot_dir, write_missing_snapshots


class Command(BaseCommand):
    help = (
        "Write the look-up snapshot of every imported postcode directory that has none in "
        "SEATFINDER_POSTCODE_SNAPSHOT_DIR (import_postcodes writes one itself; run this on another server, "
        "or after moving the folder)."
    )

    def handle(self, *args, **options):
        folder = snapshot_dir()
        if folder is None:
            raise CommandError(
                "SEATFINDER_POSTCODE_SNAPSHOT_DIR is empty: look-up snapshots are switched off"
            )
        written = write_missing_snapshots(folder)
        for path in written:
            self.stdout.write(f"Wrote {path}")
        self.stdout.write(self.style.SUCCESS(f"{len(written)} snapshot(s) written; all directories have one"))
