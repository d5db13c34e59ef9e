"""Which boundaries are current: those of the most recent general election loaded.

Once the 2024 results are in, voters see their 2024 seat; the offline demo (2010-2019 results)
resolves on the 2010 boundaries. With no general election loaded, the most recent election of
any kind decides.
"""

from django.db.models import Subquery
from django.db.models.functions import Coalesce

from constituencies.models import BoundarySet, Election

# The same rule in SQL, for the raw statements of the postcode look-up: a scalar subquery, whose one
# parameter is Election.Kind.GENERAL.
CURRENT_BOUNDARY_SET_ID_SQL = f"""(
    SELECT boundary_set_id FROM {Election._meta.db_table}
    ORDER BY (kind = %s) DESC, date DESC, slug
    LIMIT 1
)"""


def current_boundary_set_id_expression():
    """A subquery expression, so callers can filter by it without a query of their own."""
    general = Election.objects.filter(kind=Election.Kind.GENERAL).order_by("-date", "slug")
    anything = Election.objects.order_by("-date", "slug")
    return Coalesce(
        Subquery(general.values("boundary_set_id")[:1]), Subquery(anything.values("boundary_set_id")[:1])
    )


def current_boundary_set() -> BoundarySet | None:
    return BoundarySet.objects.filter(pk=current_boundary_set_id_expression()).first()
