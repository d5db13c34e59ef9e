"""The organisers' staff pages: their seats, one seat's contactable supporters and local group form, and the
audited CSV export. Login required; a seat outside services.organisers.organiser_scope is 403."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View

from constituencies.models import Constituency
from constituencies.rules.csv_cells import csv_cell
from constituencies.seats.current import versions_of_slug
from supporters.models.organisers import ORGANISE_PERMISSION
from supporters.services import organisers
from supporters.web.forms import LocalGroupForm

STAFF_LOGIN = method_decorator(login_required(login_url=reverse_lazy("admin:login")), name="dispatch")


def organised_seat(request, slug) -> Constituency:
    """The seat of this slug that the user organises (its default version, if a superuser), 404 for no seat,
    403 for someone else's."""
    seats = Constituency.objects.filter(slug=slug)
    scoped = versions_of_slug(seats.filter(pk__in=organisers.organiser_scope(request.user)))
    if scoped:
        return scoped[0]
    get_object_or_404(seats[:1])
    raise PermissionDenied("You do not organise this seat.")


@login_required(login_url=reverse_lazy("admin:login"))
def seat_list(request):
    if not request.user.has_perm(ORGANISE_PERMISSION):  # superusers have every permission
        raise PermissionDenied("You are not an organiser.")
    seats = organisers.organiser_seats(request.user)
    return render(request, "supporters/organise/seat_list.html", {"seats": seats})


@STAFF_LOGIN
class SeatView(View):
    template_name = "supporters/organise/seat.html"

    def get(self, request, slug):
        seat = organised_seat(request, slug)
        return self.show(seat, LocalGroupForm(instance=organisers.local_group_for(seat)))

    def post(self, request, slug):
        seat = organised_seat(request, slug)
        form = LocalGroupForm(request.POST, instance=organisers.local_group_for(seat))
        if not form.is_valid():
            return self.show(seat, form, status=400)
        form.save()
        messages.success(request, "The local group's details are saved; the seat page shows them.")
        return redirect("supporters:organise_seat", slug=seat.slug)

    def show(self, seat, form, status=200):
        context = {"seat": seat, "supporters": organisers.contactable(seat), "form": form}
        return render(self.request, self.template_name, context, status=status)


@login_required(login_url=reverse_lazy("admin:login"))
def export_csv(request, slug):
    seat = organised_seat(request, slug)
    if request.method != "POST":  # an export is audited, so it is a deliberate act, never a prefetch
        return redirect("supporters:organise_seat", slug=seat.slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supporters-{seat.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(organisers.CSV_HEADER)
    writer.writerows([csv_cell(cell) for cell in row] for row in organisers.export_rows(request.user, seat))
    return response
