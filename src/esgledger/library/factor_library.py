"""Factor sets as records, and the one lookup rule: :class:`FactorValue` (one cited value),
:class:`FactorSet`, :class:`FactorKey` (a catalogued key) and :class:`FactorLibrary`.

The files they are read from, and the checks on them, are :mod:`esgledger.library.factor_files`;
:mod:`esgledger.library.factors` hands on the names of both (the module the rest imports).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from decimal import Decimal
from typing import Any, Iterable, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from esgledger.model.errors import Bilingual, EsgledgerError, Location, Problem, ProblemList
from esgledger.model.units import UNITS

CONFIDENCE = ("V", "V-calc", "S", "R", "R-low")
STATUSES = ("current", "superseded", "uncertain", "illustrative")
Confidence = Literal["V", "V-calc", "S", "R", "R-low"]
Status = Literal["current", "superseded", "uncertain", "illustrative"]
_KEY = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class FactorError(EsgledgerError, ValueError):
    """The factor sets cannot be loaded; carries the problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = ProblemList(problems)
        super().__init__("\n".join(p.render("en") for p in self.problems[:30]))


class FactorLookupError(EsgledgerError, LookupError):
    """No value (ESG-FACTOR-009) or more than one (010) applies, or the key or a dimension is
    unknown (005, 008). ``problem`` is the catalogued problem a calculation run reports."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.render("en"))


# --------------------------------------------------------------------------------------
class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    zh: str
    en: str


class FactorKey(_Frozen):
    """A catalogued key: the quantity its values are (``units``) and its dimensions."""

    key: str = Field(pattern=_KEY)
    name: Text | None = None
    units: tuple[str, ...] = Field(min_length=1)
    dims: dict[str, tuple[str, ...] | None] = {}
    note: str | None = None
    # values may be below 0: no key of keys.yaml (emission factors, NCVs, carbon contents,
    # rates and shares, GWPs); a user key of a quantity that can be (a net removal) says so
    signed: bool = False


class FactorValue(_Frozen):
    """One cited value of one factor set, as a calculation uses and records it."""

    set_name: str
    set_version: str
    key: str
    dims: tuple[tuple[str, str], ...] = ()
    # the entities (each with everything under it) the value is for, e.g. a plant's measured
    # value; empty: every entity
    entities: tuple[str, ...] = ()
    value: Decimal
    unit: str
    source: str
    edition: str
    confidence: Confidence
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    status: Status = "current"
    note: str | None = None
    url: str | None = None
    file: str = ""
    line: int | None = None
    user: bool = False

    @property
    def dim(self) -> dict[str, str]:
        return dict(self.dims)

    @functools.cached_property
    def ref(self) -> str:
        """A stable text id for lineage: ``set@version/key[dims]@validity`` (made once per
        value: a calculation run asks for it hundreds of times)."""
        out = f"{self.set_name}@{self.set_version}/{self.key}"
        if self.dims:
            out += "[" + ";".join(f"{k}={v}" for k, v in self.dims) + "]"
        if self.entities:
            out += "{" + ",".join(self.entities) + "}"
        if self.valid_from or self.valid_to:
            out += "@" + validity_text(self.valid_from, self.valid_to)
        return out

    @property
    def label(self) -> str:
        """The value as a problem names it: ``key[dims]{entities}``, without set or validity
        (``al.anode.nac{TLYX}``)."""
        return self.key + ("[" + ";".join(f"{k}={m}" for k, m in self.dims) + "]" if self.dims else "") \
            + ("{" + ",".join(self.entities) + "}" if self.entities else "")

    @functools.cached_property
    def row(self) -> tuple:
        """What a calculated fact's lineage records of this value (``fact_factor``'s columns:
        set@version, ref, edition, value, unit, source, confidence; made once per value)."""
        return (f"{self.set_name}@{self.set_version}", self.ref, self.edition, str(self.value), self.unit,
                self.source, self.confidence)

    def to(self, unit: str) -> Decimal:
        """The value expressed in ``unit`` (exact decimal conversion); UnitError if it cannot be."""
        return UNITS.convert(self.value, self.unit, unit)

    def applies(self, start: dt.date | None, end: dt.date | None) -> bool:
        if start is None or end is None:
            return True
        return (self.valid_from is None or self.valid_from <= end) and \
               (self.valid_to is None or self.valid_to >= start)


class FactorSet(_Frozen):
    name: str
    version: str
    title: Text | None = None
    description: str | None = None
    priority: int = 50
    gwp_set: str | None = None
    user: bool = False
    file: str = ""
    values: tuple[FactorValue, ...] = ()
    editions: tuple[tuple[str, Text], ...] = ()  # an edition its values record → its citation in zh/en


def validity_text(start: dt.date | None, end: dt.date | None) -> str:
    """``2021``, ``2022–2025``, ``2024–…``, ``…–2021`` or ISO dates where not whole years."""
    a = "…" if start is None else (str(start.year) if (start.month, start.day) == (1, 1) else start.isoformat())
    b = "…" if end is None else (str(end.year) if (end.month, end.day) == (12, 31) else end.isoformat())
    return a if a == b else f"{a}–{b}"


# --- lookup ----------------------------------------------------------------------------
def _span(on) -> tuple[dt.date | None, dt.date | None]:
    """``on`` as a date range: None, a year, a date, or a Period (year, quarter, month)."""
    if on is None:
        return None, None
    if isinstance(on, bool):
        raise TypeError("on must be a year, a date or a Period")
    if isinstance(on, int):
        return dt.date(on, 1, 1), dt.date(on, 12, 31)
    if isinstance(on, dt.datetime):
        return on.date(), on.date()
    if isinstance(on, dt.date):
        return on, on
    if hasattr(on, "months") and hasattr(on, "year"):
        months = on.months()
        last = months[-1]
        return dt.date(on.year, months[0], 1), dt.date(on.year, last, calendar.monthrange(on.year, last)[1])
    if isinstance(on, str) and on.strip().isdigit():
        return _span(int(on))
    raise TypeError(f"on must be a year, a date or a Period, not {on!r}")


class FactorLibrary:
    """The loaded factor sets and the key catalogue, with one lookup rule."""

    def __init__(self, sets: Mapping[str, FactorSet], keys: Mapping[str, FactorKey]):
        self.sets: dict[str, FactorSet] = dict(sets)
        self.keys: dict[str, FactorKey] = dict(keys)
        self._index: dict[tuple[str, str], list[FactorValue]] = {}
        # the keys with a value for some entities only
        self.scoped_keys: frozenset[str] = frozenset(v.key for s in self.sets.values() for v in s.values if v.entities)
        for s in self.sets.values():
            for v in s.values:
                self._index.setdefault((s.name, v.key), []).append(v)

    # -- listing --------------------------------------------------------------------------
    def list_sets(self) -> list[FactorSet]:
        """Sets in lookup order: user sets first, then by priority."""
        return sorted(self.sets.values(), key=lambda s: (not s.user, -s.priority, s.name))

    def values(self, key: str | None = None, set_name: str | None = None) -> list[FactorValue]:
        out = []
        for s in self.list_sets():
            if set_name is not None and s.name != set_name:
                continue
            # a key's values of a set are indexed, in the set's order (a workspace asks for the
            # GWP values before every calculation run)
            out += s.values if key is None else self._index.get((s.name, key), ())
        return out

    # -- lookup ---------------------------------------------------------------------------
    def lookup(self, key: str, on=None, *, prefer: Sequence[str] = (), sets: Sequence[str] | None = None,
               latest: bool = False, dims: Mapping[str, Any] | None = None,
               entity: Sequence[str] = (), **kw: Any) -> FactorValue:
        """The one value of ``key`` for these dimensions that applies ``on`` a year, date or
        Period (None: regardless of validity, which is ambiguous if the key has several).

        ``prefer``: set names tried first, in order. ``sets``: only these sets. ``latest``:
        the most recent value whose validity starts by ``on`` (the latest published factor,
        e.g. a grid factor two years older than the report). ``entity``: the entity asking and
        its parents, nearest first; a value for some entities only applies to them (and
        everything under them), and, among values as specific in their dimensions, the value
        for the nearest entity wins over one for a farther entity, which wins over one for
        every entity. Raises :class:`FactorLookupError`.
        """
        query = {k: str(v) for k, v in {**(dims or {}), **kw}.items()}
        where = ";".join(f"{k}={v}" for k, v in sorted(query.items())) or "-"
        entity = (entity,) if isinstance(entity, str) else tuple(entity)
        if entity and key in self.scoped_keys:
            where = (f"{where} " if where != "-" else "") + f"@{entity[0]}"
        spec = self.keys.get(key)
        if spec is None:
            raise FactorLookupError(Problem("ESG-FACTOR-005", Location(field=key), {"found": key}))
        for name in query:
            if name not in spec.dims:
                raise FactorLookupError(Problem("ESG-FACTOR-008", Location(field=key), {
                    "field": key, "found": name, "expected": ", ".join(spec.dims) or "no dimensions"}))
        start, end = _span(on)
        if on is not None and where != "-":
            where += f" on {on}"
        elif on is not None:
            where = f"on {on}"
        names = list(sets) if sets is not None else list(self.sets)
        pool = [self.sets[n] for n in names if n in self.sets]
        prefer = list(prefer)

        def rank(s: FactorSet) -> tuple:
            # the workspace's own values first, wherever they apply (issue 3: a supplier-specific
            # or plant-measured value takes priority); ``prefer`` orders the sets of each kind
            return (not s.user, prefer.index(s.name) if s.name in prefer else len(prefer), -s.priority)

        groups: dict[tuple, list[FactorSet]] = {}
        for s in pool:
            groups.setdefault(rank(s), []).append(s)
        for r in sorted(groups):
            found = []
            for s in groups[r]:
                for v in self._index.get((s.name, key), ()):
                    if any(query.get(k) != m for k, m in v.dims):
                        continue
                    if v.entities and not any(e in v.entities for e in entity):
                        continue
                    if latest and end is not None:
                        if v.valid_from is None or v.valid_from <= end:
                            found.append(v)
                    elif v.applies(start, end):
                        found.append(v)
            if not found:
                continue
            most = max(len(v.dims) for v in found)
            found = [v for v in found if len(v.dims) == most]
            if len(found) > 1 and any(v.entities for v in found):
                def nearness(v: FactorValue) -> int:  # the nearest entity the value is for
                    return min((i for i, e in enumerate(entity) if e in v.entities), default=len(entity))
                near = min(nearness(v) for v in found)
                found = [v for v in found if nearness(v) == near]
            if latest and len(found) > 1:
                newest = max(v.valid_from or dt.date.min for v in found)
                found = [v for v in found if (v.valid_from or dt.date.min) == newest]
            if len(found) == 1:
                return found[0]
            raise FactorLookupError(Problem("ESG-FACTOR-010", Location(field=key), {
                "field": key, "found": where, "expected": ", ".join(f"{v.ref} ({v.file}:{v.line})" for v in found)}))
        raise FactorLookupError(Problem("ESG-FACTOR-009", Location(field=key), {
            "field": key, "found": where,
            "expected": ", ".join(names) if sets is not None else Bilingual("任何因子集", "any set")}))

    def find(self, key: str, on=None, **kw: Any) -> FactorValue | None:
        """Like :meth:`lookup`, but None where no value applies (other problems still raise)."""
        try:
            return self.lookup(key, on, **kw)
        except FactorLookupError as exc:
            if exc.problem.code == "ESG-FACTOR-009":
                return None
            raise

    def gwp(self, gas: str, gwp_set: str, **kw: Any) -> FactorValue:
        return self.lookup("gwp", gas=gas, gwp_set=gwp_set, **kw)


__all__ = ["CONFIDENCE", "STATUSES", "FactorError", "FactorKey", "FactorLibrary", "FactorLookupError", "FactorSet",
           "FactorValue", "Text", "validity_text"]
