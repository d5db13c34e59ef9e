"""listings/exports.py: the CSV's headings and the downloads' file names."""

import pytest
from django.urls import reverse

from constituencies.listings.exports import CSV_HEADINGS, MAX_NAME_LENGTH, export_filename
from constituencies.listings.records import CSV_COLUMNS

CSV_URL = reverse("constituencies:seat_list_csv")
JSON_URL = reverse("constituencies:seat_list_json")


def test_every_csv_column_has_a_heading_people_can_read():
    assert set(CSV_HEADINGS) == set(CSV_COLUMNS)
    assert all(heading[0].isupper() and "_" not in heading for heading in CSV_HEADINGS.values())


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ([], "seats-ge2024.csv"),
        ([("tragedy", "true"), ("marginality", "marginal")], "seats-ge2024-tragedies-marginal.csv"),
        ([("tragedy", "false"), ("sort", "-majority")], "seats-ge2024-not-tragedies.csv"),
        (
            [("marginality", "very_marginal"), ("majority_pct_min", "2.5"), ("majority_pct_max", "10")],
            "seats-ge2024-very-marginal-majority-from-2.5-majority-up-to-10.csv",
        ),
        (
            [("winner", "Con"), ("runner_up", "RUK"), ("advice", "none_needed"), ("best_placed", "LD")],
            "seats-ge2024-won-by-con-runner-up-ruk-advice-none-needed-best-placed-ld.csv",
        ),
        (
            [("country", "Northern Ireland"), ("region", "South East")],
            "seats-ge2024-northern-ireland-south-east.csv",
        ),
        ([("q", 'Ynys Môn"; rm -rf /..\\')], "seats-ge2024-named-ynys-mon-rm-rf.csv"),
        ([("changed", "true")], "seats-ge2024-changed-hands.csv"),
        ([("changed", "false"), ("tragedy", "true")], "seats-ge2024-held-tragedies.csv"),
        ([("country", "Wales"), ("winner", "PC")], "seats-ge2024-wales-won-by-pc.csv"),
    ],
)
def test_file_names_name_the_filters_in_safe_characters(params, name):
    assert export_filename("ge2024", [("election", "ge2024"), *params], "csv") == name


def test_a_long_file_name_is_cut_short():
    name = export_filename("ge2024", [("q", "word " * 40)], "json")
    assert len(name) <= MAX_NAME_LENGTH + len(".json") and name.endswith("-word.json")


def test_the_downloads_are_named_for_their_filters(ge2024, client):
    params = {"tragedy": "yes", "marginality": "very_marginal,marginal", "region": "south east", "q": "ash"}
    expected = "seats-ge2024-tragedies-very-marginal-marginal-south-east-named-ash"
    for url, extension in ((CSV_URL, "csv"), (JSON_URL, "json")):
        response = client.get(url, params)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{expected}.{extension}"'
