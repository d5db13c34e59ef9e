from django.db.models import Count, Q
from django.urls import reverse
from django.views.generic import ListView

from constituencies.models import Election
from constituencies.postcodes.lookup import postcodes_to_try
from constituencies.rules.arithmetic import MARGINALITY_LABELS, MARGINALITY_RANGES, SAFE
from constituencies.seats.links import with_query
from constituencies.web.forms import PostcodeForm, SearchForm

# The bands the home page counts, in the seat list's words, each linking to the list filtered by it.
COUNTED_BANDS = [band for band in MARGINALITY_LABELS if band != SAFE]


class HomeView(ListView):
    """The postcode form (with the postcodes to try when the directory is only the demo's handful), then
    the elections loaded with how many seats each has, how many are progressive tragedies and how many
    fall in each marginality band short of safe (the seat list's bands and words, rules/arithmetic.py)."""

    template_name = "constituencies/home.html"
    context_object_name = "elections"

    def get_queryset(self):
        return Election.objects.with_seat_counts().annotate(
            **{
                f"{band}_count": Count("assessments", filter=Q(assessments__marginality=band))
                for band in COUNTED_BANDS
            }
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PostcodeForm())
        kwargs.setdefault("search_form", SearchForm())
        if "postcodes_to_try" not in kwargs:  # not setdefault: the caller may have asked already
            kwargs["postcodes_to_try"] = postcodes_to_try()
        context = super().get_context_data(**kwargs)
        seat_list = reverse("constituencies:seat_list")
        context["bands"] = [(MARGINALITY_LABELS[band], MARGINALITY_RANGES[band]) for band in COUNTED_BANDS]
        for election in context["elections"]:
            election.band_counts = [
                (
                    getattr(election, f"{band}_count"),
                    with_query(seat_list, [("election", election.slug), ("marginality", band)]),
                )
                for band in COUNTED_BANDS
            ]
        return context
