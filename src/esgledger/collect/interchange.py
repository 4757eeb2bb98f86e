"""The interchange format: facts as CSV or XLSX rows, in and out.

Columns (header row; Chinese headers accepted): ``entity`` (主体), ``indicator`` (指标),
``period`` (期间), ``value`` (数值), ``unit`` (单位), optional dimension columns named after
the library's dimensions (``gender``, ``age_band`` …), optional ``comment`` (备注), and the
columns an export writes, so that an export imports back as one identical revision of each
entered fact (its calculated rows skipped and counted; see :func:`check_table`). Lines of a
CSV starting with ``#`` are comments. A CSV may be UTF-8 (with or without BOM) or GBK/GB18030,
as Chinese Excel writes both.

Import is all-or-nothing: every row is checked first; any error means nothing is written. Each
problem names the file and the line (CSV) or sheet!cell (XLSX) and the column.

The code is in three modules, whose names this one hands on: :mod:`esgledger.collect.tables`
reads a file into a table, :mod:`esgledger.collect.rows` checks its rows
(:func:`~esgledger.collect.rows.check_table`), :mod:`esgledger.collect.notation` reads how a
row names dimensions, categories, numbers and units. Here: the cap on the problems an import
lists, the status cells a user may not set, and the columns of an export.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from esgledger.collect.notation import (DIMENSION_ALIASES, _by_name, _conversion, _number,  # noqa: F401 (re-exported)
                                        category_choices, dimension_names, dimensions_text)
from esgledger.collect.rows import ImportReport, check_table, notices  # noqa: F401 (re-exported)
from esgledger.collect.tables import (CALCULATED, EXPORT_ONLY, HEADER_ALIASES, REQUIRED, XLSX,  # noqa: F401
                                      _Table, decode_text, read_csv_table, read_table, read_xlsx_table)
from esgledger.model.errors import Problem
from esgledger.store.access import REVIEW_STATUSES

MAX_PROBLEMS = 10_000


def export_column(table: _Table, name: str) -> int | None:
    """The index of an export's column (``status``, ``value_entered`` …) in ``table``, or None."""
    for i, h in enumerate(table.header):
        if h.strip().lower() == name and h.strip() not in HEADER_ALIASES:
            return i
    return None


def status_refusals(table: _Table, facts: Iterable, review: frozenset[str], user: str) -> list[Problem]:
    """ESG-IMPORT-023 at the status cell of each fact whose status (from the file: see
    :func:`check_table`) only a reviewer may set, at an entity outside ``review``."""
    col = export_column(table, "status")
    if col is None:
        return []
    out = []
    for f in facts:
        if f[7] in REVIEW_STATUSES and f[0] not in review and len(out) < MAX_PROBLEMS:
            where = f[10] or ""
            rownum = int(where.rpartition("!A")[2] if "!" in where else where)
            out.append(Problem("ESG-IMPORT-023", table.location(rownum, col, "status"),
                               {"found": f[7], "entity": f[0], "user": user}))
    return out


# -- writing out ----------------------------------------------------------------------
EXPORT_COLUMNS = ["entity", "indicator", "period", "value", "unit", "dims", "basis", "status",
                  "revision", "value_entered", "unit_entered", "comment", "author", "created_at"]


def fact_rows(facts: Iterable) -> Iterator[list]:
    for f in facts:
        yield [f.entity, f.indicator, f.period, f.value, f.unit or "", f.dims, f.basis, f.status,
               f.revision, f.value_entered or "", f.unit_entered or "", f.comment or "",
               f.author or "", f.created_at or ""]
