"""Five made-up seats whose seats under proportional representation are worked by hand (tests/web/test_pr_page.py,
tests/api/test_pr_api.py)."""

from tests.builders import numbered_seat

# Totals: Lab 44,000, SNP 31,000, Con 30,000, Speaker 20,000, Green 13,000, Ind 12,000; 150,000 votes, 5 seats.
# London (3 seats): Lab 34,000, Con 25,000, Spk 20,000, Green 13,000. Scotland (2): SNP 31,000, Ind 12,000,
# Lab 10,000, Con 5,000. First past the post: Lab, Con, SNP, the Speaker and an independent, one each.
SEATS = [
    numbered_seat("Lab Seat", {"Lab": 20_000, "Con": 10_000, "Green": 5_000}, number=1),
    numbered_seat("Con Seat", {"Con": 15_000, "Lab": 14_000, "Green": 6_000}, number=2),
    numbered_seat(
        "SNP Seat",
        {"SNP": 20_000, "Lab": 10_000, "Con": 5_000},
        number=3,
        region="Scotland",
        country="Scotland",
    ),
    numbered_seat("Speaker Seat", {"Spk": 20_000, "Green": 2_000}, number=4),
    numbered_seat(
        "Ind Seat", {"Ind": 12_000, "SNP": 11_000}, number=5, region="Scotland", country="Scotland"
    ),
]
