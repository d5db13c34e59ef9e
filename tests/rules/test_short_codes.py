"""mySociety short codes to ONS codes, without a database."""

import pytest

from constituencies.rules.files import ImportFileError
from constituencies.rules.short_codes import ShortCode, read_short_code_map


def test_either_of_the_two_published_layouts():
    mysociety = "short_code,name,gss_code\nUKPARL.2025.AHT,Aldershot,E14001063\n"
    assert read_short_code_map(mysociety, "m.csv") == {"UKPARL.2025.AHT": ShortCode("E14001063", "Aldershot")}
    notional = "ons_id,name,mysoc_short_code\nE14001063,Aldershot,ukparl.2025.aht\n"
    assert read_short_code_map(notional, "n.csv") == {"UKPARL.2025.AHT": ShortCode("E14001063", "Aldershot")}


def test_a_file_without_both_columns_or_with_two_codes_for_one_short_code():
    with pytest.raises(ImportFileError, match=r"x.csv, row 1: needs a short code column"):
        read_short_code_map("short_code,name\nUKPARL.2025.AHT,Aldershot\n", "x.csv")
    twice = "short_code,gss_code\nUKPARL.2025.AHT,E14001063\nUKPARL.2025.AHT,E14001064\n"
    with pytest.raises(
        ImportFileError, match=r'row 3, column "short_code": UKPARL.2025.AHT is given two ONS codes'
    ):
        read_short_code_map(twice, "y.csv")
