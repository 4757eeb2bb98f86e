"""The year of a monthly indicator from its months.

An indicator with ``frequency: monthly`` is collected month by month (a workbook asks twelve
values, stored as facts of the periods ``2024-01`` … ``2024-12``). The year's run reads the
year's facts, so before anything else it gives each such indicator its year's value, for each
entity and breakdown that has months on file:

* a flow (``aggregation: sum``, ``measured_at: period``): the sum of the twelve months;
* a stock (``aggregation: sum``, ``measured_at: period_end``): December's value, the stock on
  the year's last day (the months before it are not added up);
* an indicator that does not add up (``not_additive``, ``weighted_mean``): no year from its
  months; the year is entered as a year.

The year's value is a calculated fact (basis ``own``) whose lineage is the months it was made
from (role ``month:2024-03``), and the methods and consolidation read it as they read an
entered one. A year that some month is missing from is not made (ESG-CALC-020 names the
months); a year made by an earlier run is then withdrawn (ESG-CALC-007), as any value a run no
longer produces. A year entered as a year where the months give another value is replaced by
the months' (ESG-CALC-021 says both).

The sum is exact (decimal arithmetic on the values as entered): 12 months of 100.1 MWh give
1201.2 MWh, not 1201.1999999.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import NamedTuple

from esgledger.calc.consolidate import no_longer_produced
from esgledger.model.errors import Location, Problem
from esgledger.model.period import Period
from esgledger.model.types import WITHDRAWN, FactRecord
from esgledger.model.units import plain, with_unit
from esgledger.store.ledger import NewFact

__all__ = ["MONTH_ROLE", "MonthlyYear", "Years", "make_years"]

MONTH_ROLE = "month:"


class MonthlyYear:
    """The months of a year's monthly indicators and the year's value each gives.

    ``months`` holds every current month fact of those indicators by (entity, indicator,
    dims) and period; :meth:`year_of` gives a key's year (value text and the month facts it
    was made from) or the months missing."""

    def __init__(self, library, period: str):
        p = Period.parse(period)
        self.period = str(p)
        self.month_periods = tuple(f"{p.year}-{m:02d}" for m in range(1, 13)) if p.kind == "year" else ()
        # indicator -> a stock (December's value) or not (the sum)
        self.codes: dict[str, bool] = _monthly_codes(library) if self.month_periods else {}
        self.months: dict[tuple[str, str, str], dict[str, FactRecord]] = {}

    @property
    def active(self) -> bool:
        """Whether the period is a year and the library has an indicator whose year its months
        make."""
        return bool(self.codes)

    def take(self, f: FactRecord) -> tuple[str, str, str] | None:
        """Take a month fact of a monthly indicator (the current revision of its key); its
        (entity, indicator, dims), or None for a fact this does not read."""
        if f.indicator not in self.codes or f.basis != "own" or f.period not in self.month_periods:
            return None
        key = (f.entity, f.indicator, f.dims)
        by_month = self.months.setdefault(key, {})
        if f.status == WITHDRAWN:
            by_month.pop(f.period, None)
        else:
            by_month[f.period] = f
        return key

    def year_of(self, key: tuple[str, str, str]) -> tuple[str | None, list[FactRecord], list[str]]:
        """(the year's value as exact decimal text, the month facts it was made from, the months
        missing); the value is None when a month it needs is missing."""
        by_month = self.months.get(key, {})
        if self.codes[key[1]]:  # a stock: the year's last month
            last = self.month_periods[-1]
            f = by_month.get(last)
            return (None, [], [last]) if f is None else (plain(Decimal(f.value)), [f], [])
        missing = [m for m in self.month_periods if m not in by_month]
        if missing:
            return None, [], missing
        facts = [by_month[m] for m in self.month_periods]
        total = Decimal(0)
        for f in facts:
            total += Decimal(f.value)
        return plain(total), facts, []

    def keys(self) -> list[tuple[str, str, str]]:
        return sorted(k for k, v in self.months.items() if v)


def _monthly_codes(library) -> dict[str, bool]:
    """The library's monthly indicators whose year their months make, each with whether it is
    a stock; worked out once per library (every run of a year asks)."""
    codes = library.__dict__.get("_monthly_codes")
    if codes is None:
        codes = library.__dict__["_monthly_codes"] = {
            code: ind.measured_at == "period_end" for code, ind in library.indicators.items()
            if ind.frequency == "monthly" and ind.kind == "input" and ind.value_type == "number"
            and ind.aggregation == "sum"}
    return codes


def missing_months(key: tuple[str, str, str], period: str, missing: list[str], present: int) -> Problem:
    """ESG-CALC-020: a monthly indicator's year not made, for the months missing."""
    entity, indicator, dims = key
    return Problem("ESG-CALC-020", Location(field=f"{entity}/{indicator}" + (f"/{dims}" if dims else "")), {
        "entity": entity, "indicator": indicator, "period": period, "found": str(present),
        "expected": ", ".join(missing)})


def year_replaced(old: FactRecord, value: str, unit: str | None) -> Problem:
    """ESG-CALC-021: a year entered as a year that the months' value replaces."""
    return Problem("ESG-CALC-021", Location(field=f"{old.entity}/{old.indicator}" + (f"/{old.dims}" if old.dims else "")), {
        "entity": old.entity, "indicator": old.indicator, "period": old.period,
        "found": with_unit(old.value, unit), "expected": with_unit(value, unit)})


class Years(NamedTuple):
    """What :func:`make_years` did: the year facts written, the revisions withdrawing years no
    longer made, the problems it found and its batch (None when it wrote nothing)."""

    written: list[FactRecord]
    withdrawn: list[FactRecord]
    problems: list[Problem]
    batch_id: int | None


def make_years(conn, my: MonthlyYear, keys, current, append, unit_of, *, author, note, may_withdraw=True):
    """Make the year of each key of ``keys`` from its months and append those that changed, in
    the caller's transaction ``conn``. ``current`` gives a key's current year fact (or None);
    ``append`` is the store's append (or a kept run's). Returns :class:`Years`; None, with
    nothing written, when a year would be withdrawn and ``may_withdraw`` is false (an
    incremental run leaves that to a full one)."""
    rows, olds, tombs, problems = [], [], [], []
    for key in sorted(keys):
        value, facts, missing = my.year_of(key)
        cur = current(key)
        if value is None:
            present = len(my.months.get(key, ()))
            if present:
                problems.append(missing_months(key, my.period, missing, present))
            if cur is not None and cur.status == "calculated":  # made by an earlier run, no longer
                tombs.append(cur)
            continue
        if cur is not None and cur.status == "calculated" and cur.value == value:
            continue
        unit = unit_of(key[1])
        if cur is not None and cur.status != "calculated" and Decimal(cur.value) != Decimal(value):
            problems.append(year_replaced(cur, value, unit))
        rows.append(NewFact(key[0], key[1], my.period, key[2], value, unit, "own", "calculated",
                            inputs=tuple((f.id, f"{MONTH_ROLE}{f.period}", None) for f in facts)))
        olds.append(cur)
    if tombs and not may_withdraw:
        return None
    for f in tombs:
        problems.append(no_longer_produced(f))
    if not rows and not tombs:
        return Years([], [], problems, None)
    batch_id, ids = append(conn, rows + [NewFact(f.entity, f.indicator, f.period, f.dims, f.value, f.unit, "own",
                                                 WITHDRAWN) for f in tombs],
                           kind="calc", source=run_source(my.period), author=author, note=note, return_ids=True)
    written = [FactRecord(nf.entity, nf.indicator, nf.period, nf.dims, nf.value, nf.unit, "own",
                          old.revision + 1 if old is not None else 1, "calculated", author=author, id=fid,
                          batch=batch_id) for nf, old, fid in zip(rows, olds, ids)]
    withdrawn = [dataclasses.replace(f, revision=f.revision + 1, status=WITHDRAWN, author=author, id=fid,
                                     batch=batch_id) for f, fid in zip(tombs, ids[len(rows):])]
    return Years(written, withdrawn, problems, batch_id)


def run_source(period: str) -> str:
    return f"months run {period}"
