"""Importers: read a results file, check every row, then write in one transaction.

The management commands and the admin upload both use these classes.
"""

from constituencies.importers.files import ImportFileError, Problem
from constituencies.importers.layouts import LAYOUTS, detect_layout, read_results_file
from constituencies.importers.results import ImportSummary, ResultsImporter

__all__ = [
    "LAYOUTS",
    "ImportFileError",
    "ImportSummary",
    "Problem",
    "ResultsImporter",
    "detect_layout",
    "read_results_file",
]
