"""Importing a programme, its werkplaatsen and their contributions from files people made in
spreadsheets.

- ``import_programme``: the table of werkplaatsen of a programme, from CSV or XLSX
  (``programme_table``).
- ``import_werkplaatsen``: werkplaatsen with their contributions, from JSON
  (``werkplaatsen_json``; also what ``export_werkplaats(…, "json")`` writes).

Every record is checked (``checks``) and every problem reported with where it is and a Dutch
reason (``report``): by line in a CSV file, by row in an XLSX sheet, by path in JSON. A file
with any error imports nothing unless ``skip_invalid``; values that are odd but usable
(bouwsteen "Verslag op viadesk", control characters) are imported as they are, or cleaned,
and reported as notes, never changed silently. Both importers match and write werkplaatsen
the same way (``targets``): every record is checked before the first write, then written in
short batches so that a live werkplaats' posts go on beside a large import; a run cut off
halfway is finished by running it again. A file of more than ``MAX_IMPORT_ROWS`` records is
refused; an XLSX file is checked before it is parsed (``xlsx``: no DTD, no zip bomb).
"""

from .programme_table import import_programme
from .report import ImportReport, Issue
from .targets import DEMO_PROGRAMME
from .werkplaatsen_json import import_werkplaatsen

__all__ = ["DEMO_PROGRAMME", "ImportReport", "Issue", "import_programme", "import_werkplaatsen"]
