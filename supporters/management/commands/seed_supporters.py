"""manage.py seed_supporters --demo: fake confirmed supporters in a few seats, so that counts show something."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from constituencies.models import Constituency, Postcode
from constituencies.seats.current import current_boundary_set_id_expression
from supporters.models import OrganiserSeat, Supporter
from supporters.rules import consent
from supporters.services.counts import counts_changed
from supporters.services.organisers import organisers_group

# Supporters in the first seats (by name) that the postcode directory knows on the current boundaries (the
# demo postcodes' seats): two at or above the threshold, and one just below, where one more signup shows it.
PER_SEAT = [7, 5, 4]


class Command(BaseCommand):
    help = "Create fake confirmed supporters (is_fake, @example.invalid) in the demo seats, replacing earlier ones."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Required: the supporters are made up")
        parser.add_argument(
            "--organiser",
            metavar="USERNAME",
            help="Make this staff user (created without a password if new) an organiser of the seeded seats",
        )

    def handle(self, *args, demo, organiser=None, **options):
        if not demo:
            raise CommandError("Only made-up supporters can be seeded: run with --demo.")
        seats = list(
            Constituency.objects.filter(
                Exists(Postcode.objects.filter(constituency=OuterRef("pk"), terminated_on__isnull=True)),
                boundary_set_id=current_boundary_set_id_expression(),
            ).order_by("name")[: len(PER_SEAT)]
        )
        if not seats:
            raise CommandError(
                "No postcodes are loaded on the current boundaries: run manage.py load_demo first."
            )
        now = timezone.now()
        with transaction.atomic():
            removed, _ = Supporter.objects.filter(is_fake=True).delete()
            created = Supporter.objects.bulk_create(
                Supporter(
                    constituency=seat,
                    email=f"fake-{seat.ons_id.lower()}-{n}@example.invalid",
                    first_name=f"Fake {n}",
                    activities=["vote"],
                    consents_to_email=True,
                    consents_to_contact=n % 2 == 0,
                    consent_version=consent.CURRENT.version,
                    consented_at=now,
                    consent_page="seed_supporters --demo",
                    status=Supporter.Status.CONFIRMED,
                    confirmed_at=now,
                    confirmation_key="",
                    is_fake=True,
                )
                for seat, count in zip(seats, PER_SEAT, strict=False)
                for n in range(1, count + 1)
            )
        counts_changed()
        for seat, count in zip(seats, PER_SEAT, strict=False):
            self.stdout.write(f"{seat.name}: {count} fake confirmed supporters")
        self.stdout.write(f"Created {len(created)} fake supporters (replaced {removed}).")
        if organiser:
            self.make_organiser(organiser, seats)

    def make_organiser(self, username, seats):
        user, made = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
        if made:
            user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(organisers_group())
        for seat in seats:
            OrganiserSeat.objects.get_or_create(user=user, constituency=seat)
        self.stdout.write(f"{username} organises {', '.join(s.name for s in seats)}: see /organise/.")
        if made:
            self.stdout.write(f"Set a password with: manage.py changepassword {username}")
