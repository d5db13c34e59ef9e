from django.core.management.base import BaseCommand, CommandError

from constituencies.postcodes.snapshot_file import ensure_snapshot, is_complete, snapshot_path
from constituencies.postcodes.snapshots import current_state, snapshot_dir


class Command(BaseCommand):
    help = (
        "Build the look-up snapshot of the current postcode directory in SEATFINDER_POSTCODE_SNAPSHOT_DIR now, "
        "unless it is there already. Optional: server processes build it themselves when they first need it "
        "(and answer from the database until then); this only warms a host up ahead of its first look-up."
    )

    def handle(self, *args, **options):
        folder = snapshot_dir()
        if folder is None:
            raise CommandError(
                "SEATFINDER_POSTCODE_SNAPSHOT_DIR is empty: look-up snapshots are switched off"
            )
        state = current_state()
        if state is None or state.generation is None:
            self.stdout.write(
                "No postcode directory has been imported on the current boundaries: nothing to build"
            )
            return
        path = snapshot_path(folder, state.generation)
        if is_complete(path):
            self.stdout.write(self.style.SUCCESS(f"{path} is already there"))
            return
        try:
            written = ensure_snapshot(folder, state.boundary_set_id, state.generation)
        except OSError as exc:
            raise CommandError(f"Could not write the look-up snapshot in {folder}: {exc}") from None
        if written is None:
            raise CommandError(
                "The postcode directory was replaced while the snapshot was built: run it again"
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {written}"))
