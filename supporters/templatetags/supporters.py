"""{% seat_supporters seat %}: the seat page's supporters panel (count, local group, join form). At most
SEAT_PANEL_QUERIES queries, however many supporters there are."""

from django import template

from supporters.models import LocalGroup
from supporters.services.counts import seat_count
from supporters.web.forms import JoinForm

register = template.Library()

SEAT_PANEL_QUERIES = 2  # the counts (when not cached), the local group


@register.inclusion_tag("supporters/includes/_seat_panel.html", takes_context=True)
def seat_supporters(context, seat):
    request = context["request"]
    group = LocalGroup.objects.filter(constituency=seat).first()
    return {
        "seat": seat,
        "count": seat_count(seat.pk),
        "local_group": group if group and group.has_details else None,
        "form": JoinForm(initial={"page": request.path}),
        "tokenless": True,  # the seat page is the same for everyone, so cacheable: web/same_origin.py
    }
