"""The national postcode directory importer: read an ONS or mySociety postcode file and swap it in for one
boundary set. `PostcodeImporter(path or file object, boundary_set).run()`.

- layout.py: which columns hold what, recognised from the header;
- sources.py: the CSV stream(s) of a file or a zip;
- rows.py: each row checked and turned into a line of COPY text;
- parallel.py: a big CSV file read in parts by several processes at once;
- swap.py: the new table, filled, indexed and swapped in for the live partition;
- core.py: the importer, which runs those steps in one transaction.
"""

from constituencies.postcodes.importer.core import PostcodeImporter
from constituencies.postcodes.importer.summary import PostcodeImportSummary

__all__ = ["PostcodeImportSummary", "PostcodeImporter"]
