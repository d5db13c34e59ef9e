from django.db.models import Count, Q
from django.views.generic import ListView

from constituencies.models import Election, SeatAssessment
from constituencies.postcodes.lookup import postcodes_to_try
from constituencies.web.forms import PostcodeForm, SearchForm


class HomeView(ListView):
    """The postcode form (with the postcodes to try when the directory is only the demo's handful), then
    the elections loaded with how many seats each has, how many are progressive tragedies and how many
    are marginal."""

    template_name = "constituencies/home.html"
    context_object_name = "elections"

    def get_queryset(self):
        return Election.objects.with_seat_counts().annotate(
            marginal_count=Count(
                "assessments", filter=~Q(assessments__marginality=SeatAssessment.Marginality.SAFE)
            )
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PostcodeForm())
        kwargs.setdefault("search_form", SearchForm())
        if "postcodes_to_try" not in kwargs:  # not setdefault: the caller may have asked already
            kwargs["postcodes_to_try"] = postcodes_to_try()
        return super().get_context_data(**kwargs)
