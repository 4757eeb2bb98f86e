"""Reporting periods: a year (``2024``), a month (``2024-03``) or a quarter (``2024-Q1``).

>>> Period.parse("2024-Q1").months()
(1, 2, 3)
>>> Period.parse("2024-03").year_period()
Period(year=2024, kind='month', index=3)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_RX = re.compile(r"^\s*(\d{4})(?:\s*-\s*(?:(\d{1,2})|[Qq]([1-4])))?\s*$")
_RX_ZH = re.compile(r"^\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?\s*$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str = "year"  # year | quarter | month
    index: int = 0

    @classmethod
    def parse(cls, text: object) -> "Period":
        s = str(text).strip()
        if s.endswith(".0") and s[:-2].isdigit():  # a year typed into a number cell
            s = s[:-2]
        m = _RX.match(s) or _RX_ZH.match(s)
        if not m:
            raise PeriodError(s)
        year = int(m.group(1))
        if not 1900 <= year <= 2200:
            raise PeriodError(s)
        month = m.group(2)
        quarter = m.group(3) if m.re is _RX else None
        if month:
            mi = int(month)
            if not 1 <= mi <= 12:
                raise PeriodError(s)
            return cls(year, "month", mi)
        if quarter:
            return cls(year, "quarter", int(quarter))
        return cls(year)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    def year_period(self) -> "Period":
        return Period(self.year)

    def months(self) -> tuple[int, ...]:
        if self.kind == "month":
            return (self.index,)
        if self.kind == "quarter":
            return tuple(range(3 * self.index - 2, 3 * self.index + 1))
        return tuple(range(1, 13))

    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.kind, self.index)
