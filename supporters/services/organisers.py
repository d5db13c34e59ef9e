"""What an organiser may see: organiser_scope is the one rule (the organise_seats permission, then the seats
given to them; superusers every seat), and every organiser page and export goes through it."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Count, Q, QuerySet

from constituencies.models import Constituency
from supporters.models import LocalGroup, OrganiserSeat, Supporter, SupporterExport
from supporters.models.organisers import ORGANISE_PERMISSION, ORGANISERS_GROUP

CSV_HEADER = ["First name", "Email", "What they would do", "Joined", "Confirmed"]


def organisers_group() -> Group:
    """The group holding the organise permission (made by migration 0004; made again here if it was removed)."""
    app_label, codename = ORGANISE_PERMISSION.split(".")
    group, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def organiser_scope(user) -> QuerySet:
    """The ids of the constituencies whose contactable supporters this user may see (none, for most)."""
    if not user.is_authenticated or not user.is_active:
        return Constituency.objects.none().values_list("pk", flat=True)
    if user.is_superuser:
        return Constituency.objects.values_list("pk", flat=True)
    if not user.has_perm(ORGANISE_PERMISSION):
        return Constituency.objects.none().values_list("pk", flat=True)
    return OrganiserSeat.objects.filter(user=user).values_list("constituency_id", flat=True)


def may_organise(user, constituency) -> bool:
    return organiser_scope(user).filter(pk=constituency.pk).exists()


def contactable(constituency) -> QuerySet:
    """The seat's confirmed supporters who consented to be put in touch with others: all an organiser sees."""
    return Supporter.objects.filter(
        constituency=constituency, status=Supporter.Status.CONFIRMED, consents_to_contact=True
    ).order_by("confirmed_at", "pk")


def organiser_seats(user) -> QuerySet:
    """The user's seats with their contactable supporters counted. A superuser, given every seat, sees those
    with any contactable supporter or given to them."""
    seats = Constituency.objects.filter(pk__in=organiser_scope(user))
    contactable_here = Q(supporters__status=Supporter.Status.CONFIRMED, supporters__consents_to_contact=True)
    seats = seats.annotate(contactable=Count("supporters", filter=contactable_here))
    if user.is_superuser:
        seats = seats.filter(Q(contactable__gt=0) | Q(organiser_seats__user=user)).distinct()
    return seats.order_by("name")


def local_group_for(constituency) -> LocalGroup:
    """The seat's local group, unsaved when it has none yet."""
    return LocalGroup.objects.filter(constituency=constituency).first() or LocalGroup(
        constituency=constituency
    )


def export_rows(user, constituency) -> list[list]:
    """The CSV's rows (cells as stored; the view defuses formulas), with the export audited in the same step."""
    rows = [
        [s.first_name, s.email, ", ".join(s.activities), s.created_at.date(), s.confirmed_at.date()]
        for s in contactable(constituency)
    ]
    SupporterExport.objects.create(
        user=user, username=user.get_username(), constituency_ons_id=constituency.ons_id, rows=len(rows)
    )
    return rows
