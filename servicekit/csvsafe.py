"""CSV that a spreadsheet program opens as data, never as formulas (CSV injection).

A cell whose text starts with = + - @, a tab or a carriage return may be run as a formula by
Excel, LibreOffice or Google Sheets (`=HYPERLINK(...)`, `@SUM(...)`, DDE). As OWASP advises,
such a cell is written with a single quote in front, which spreadsheets show as text; the
csv module quotes the rest. Every CSV the platform writes goes through `write_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so spreadsheet programs read the file as UTF-8


def safe_cell(value):
    """The value as a spreadsheet must receive it: text that could start a formula is quoted
    with a leading apostrophe; numbers, dates and None are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(fieldnames: Iterable[str], rows: Iterable[Mapping], bom: bool = True) -> str:
    """Rows (dicts) as CSV text with a header; only `fieldnames` are written, every cell made
    safe, the header included."""
    fieldnames = list(fieldnames)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in fieldnames])
    for row in rows:
        writer.writerow([safe_cell(row.get(name)) for name in fieldnames])
    return (BOM if bom else "") + out.getvalue()
