from django.core.management.base import BaseCommand

from constituencies.seats.assessments import recompute_all_assessments


class Command(BaseCommand):
    help = "Recompute every seat assessment from the stored results and the current party blocs."

    def handle(self, *args, **options):
        count = recompute_all_assessments()
        self.stdout.write(self.style.SUCCESS(f"Recomputed {count} seat assessments"))
