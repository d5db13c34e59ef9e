from django.db.models import Count, Q
from django.views.generic import ListView

from constituencies.models import Election


class HomeView(ListView):
    """The elections loaded, with how many seats each has and how many are progressive tragedies."""

    template_name = "constituencies/home.html"
    context_object_name = "elections"

    def get_queryset(self):
        return (
            Election.objects.select_related("boundary_set")
            .annotate(
                seat_count=Count("assessments"),
                tragedy_count=Count("assessments", filter=Q(assessments__is_tragedy=True)),
                marginal_count=Count("assessments", filter=~Q(assessments__marginality="safe")),
            )
            .order_by("-date", "slug")
        )  # Meta.ordering does not apply to aggregate queries
