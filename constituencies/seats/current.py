"""Which boundaries are current: those of the most recent general election loaded.

Once the 2024 results are in, voters see their 2024 seat; the offline demo (2010-2019 results)
resolves on the 2010 boundaries. With no general election loaded, the most recent election of
any kind decides.
"""

from collections.abc import Iterable

from django.db.models import QuerySet, Subquery
from django.db.models.functions import Coalesce

from constituencies.models import BoundarySet, Constituency, Election

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


# The default version of a slug: which constituency /seats/<slug>/ shows without ?election=. On the current
# boundaries, as postcodes resolve, else on the newest. Not simply the newest: with the 2019 results and the
# notional 2019 results on the 2024 boundaries loaded but no 2024 election, postcodes resolve on 2010's.


def default_version_rank(constituency: Constituency, current_id: int | None) -> tuple:
    """Among one slug's versions the highest rank is its default; the rest rank newest first."""
    return (constituency.boundary_set_id == current_id, constituency.boundary_set.code)


def default_version_ids(constituencies: Iterable[Constituency], current_id: int | None) -> set[int]:
    """The ids of each slug's default version among these constituencies (boundary_set loaded)."""
    best: dict[str, Constituency] = {}
    for c in constituencies:
        held = best.get(c.slug)
        if held is None or default_version_rank(c, current_id) > default_version_rank(held, current_id):
            best[c.slug] = c
    return {c.pk for c in best.values()}


def versions_of_slug(constituencies: QuerySet) -> list[Constituency]:
    """The constituencies of a queryset filtered to one slug, the default version first, then newest first;
    each with `is_current`. One query."""
    versions = list(
        constituencies.select_related("boundary_set").annotate(
            current_boundary_set_id=current_boundary_set_id_expression()
        )
    )
    current_id = versions[0].current_boundary_set_id if versions else None
    for c in versions:
        c.is_current = c.boundary_set_id == current_id
    return sorted(versions, key=lambda c: default_version_rank(c, current_id), reverse=True)
