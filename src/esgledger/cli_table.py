"""The command line's tables: Rich tables whose cells wrap instead of being cut.

Rich cuts a cell that does not fit its column with "…" (``1,775,…`` for a number, ``化石燃…``
for a Chinese name: Rich breaks lines at spaces only, and Chinese has none). Every column here
folds its text onto the next line instead, so nothing a table shows is lost on a narrow
terminal or in a piped output (80 columns).

A cell given as a string is text, not Rich markup: a reason or a name with ``[draft]`` in it
would otherwise lose those words. A cell that styles itself passes a ``rich.text.Text``.
"""
from __future__ import annotations

from rich.table import Column
from rich.table import Table as RichTable
from rich.text import Text


class _TextTable(RichTable):
    def add_row(self, *renderables, **kwargs) -> None:
        super().add_row(*(Text(r) if isinstance(r, str) else r for r in renderables), **kwargs)


def Table(*headers, **kwargs) -> RichTable:  # noqa: N802 - a drop-in for rich.table.Table
    """``rich.table.Table(*headers, **kwargs)`` with every column folding its cells."""
    columns = []
    for h in headers:
        column = h if isinstance(h, Column) else Column(header=h)
        column.overflow = "fold"
        columns.append(column)
    return _TextTable(*columns, **kwargs)


__all__ = ["Table"]
