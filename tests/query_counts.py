"""Query counts the listing tests share, and seats with every kind of evidence the advice reads."""

from datetime import date

from tests.builders import import_seats, numbered_seats
from tests.projection_builders import add_projection

# seats/advice.election_advice for a whole election: the evidence store's seven queries and the overrides. The
# listings reason it out once per seat data version in each process; inside a test's transaction, every time.
ADVICE_QUERIES = 8
# seats/help_counts.where_help_counts inside a test's transaction, where it reads afresh: the assessments with
# their seats' centres, the latest general election (for the links), the advice. Outside one, once per seat
# data version in each process, then the version only.
HELP_COUNTS_QUERIES = 2 + ADVICE_QUERIES
# The confirmed supporters per seat, read through seats/supporter_counts.py by every listing (the list, the
# downloads, the API, the map) with seats to show: one query, then none while Django's cache keeps them.
SUPPORTER_COUNTS_QUERIES = 1


def advised_seats(count: int):
    """builders.numbered_seats in 2019 and 2024 on the 2024 boundaries, and a projection for the first: the
    2024 advice reads every kind of evidence. Every third seat (1, 4, ...) is safe Labour, "none needed";
    the others are advised to vote Labour."""
    import_seats("ge2019", numbered_seats(count), year=2019, boundaries="2024")
    election = import_seats("ge2024", numbered_seats(count))
    add_projection("An MRP", date(2024, 6, 20), {"E14000001": {"Lab": 60, "Con": 40}})
    return election


# /what-if/ and /api/what-if/ inside a test's transaction: the seat list's FilterSet (elections, parties, places)
# and the election's seats (seats/what_if.py: assessments, candidacies, parties), read afresh there; outside
# one, the seats are kept per seat data version. The seat list's filters add one: the seats matching them.
WHAT_IF_QUERIES = 6
WHAT_IF_FILTERED_QUERIES = WHAT_IF_QUERIES + 1
# /pr/ and /api/pr/ (listings/pr.py) inside a test's transaction: the elections, then the votes by region and
# party and the winners by region and party (seats/pr_votes.py). Outside one, the votes are kept per seat data
# version: the elections and the version only.
PR_QUERIES = 3
