"""sxsh_analysis: the helper package of the SXSH evaluation workbook.

Reads survey files, cleans them without losing a row, and gives notebooks cleaned tables and
reference data. Modules, one concern each:

- ``paths``: where things live, resolved from the project root.
- ``reference``: provinces, 2025 units, regions, sectors, targets, vocabulary (data files).
- ``text``: Unicode forms, legacy fonts (TCVN3, VNI), Vietnamese numbers.
- ``resolve``: any spelling of a province or sector to its code, or a refusal.
- ``ingest``: CSV/XLSX to rows with canonical column names.
- ``clean``: parsing, edit rules, quarantine, cleaning log.
- ``schema``: pandera schemas of the cleaned tables.
- ``sample``: the calibrated sample generator.
- ``template``: the Excel data-entry template.
- ``load``: the functions notebooks call to read cleaned tables.
- ``cli``: the ``sxsh`` command.
"""

__version__ = "0.1.0"
