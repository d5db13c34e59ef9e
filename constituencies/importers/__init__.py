"""Importers: read a file, check every row, then write in one transaction.

Results (layouts.py reads, results.py writes) are shared by `import_results` and the admin upload;
postcodes.py streams the national postcode directory for `import_postcodes`; demo.py loads the demo.
"""

from constituencies.importers.files import ImportFileError, Problem
from constituencies.importers.layouts import LAYOUTS
from constituencies.importers.results import ImportSummary, ResultsImporter

__all__ = [
    "LAYOUTS",
    "ImportFileError",
    "ImportSummary",
    "Problem",
    "ResultsImporter",
]
