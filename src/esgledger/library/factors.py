"""Factor sets: versioned, cited emission and conversion factors, and their lookup.

Factor set files are data (``library/data/factors/*.yaml``, plus a workspace's own folders).
Each file is one set: a name, a version, and a list of values, every value with its key,
dimensions, exact decimal value, unit, source, edition, validity and confidence tag
(V, V-calc, S, R, R-low — see the domain reference §0); ``editions`` says how each edition
its values record is cited in zh and en (:mod:`esgledger.library.editions`). ``keys.yaml`` is
the key catalogue: what quantity each key is (its unit must fit) and which dimensions qualify it.

Loading is one function from files to ``(library, problems)``; a file with a missing citation,
a unit that does not fit, overlapping validity or any other problem is rejected with its file
and line (``ESG-FACTOR-001…008``), and no half-loaded library is returned.

Lookup picks one value and says which: the user's own sets first, then the shipped ones, each
kind with the sets named in ``prefer`` first and then by ``priority``; inside a set, the value
whose dimensions are the most specific, valid on the date asked, and for the nearest entity. A
value that leaves a dimension out is a default for every member of it, so a supplier-specific
factor wins over the generic one; a value for some entities (a plant's measured value) applies
only to them and everything under them.

>>> lib = load_factor_sets()
>>> v = lib.lookup("grid.ef", 2022, basis="average", area="national")
>>> (v.value, v.unit, v.confidence, v.set_name)
(Decimal('0.5366'), 'tCO2/MWh', 'V', 'cn_grid')
>>> lib.lookup("gwp", gas="CF4", gwp_set="AR5").value
Decimal('6630')
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from esgledger.library.editions import check_editions
from esgledger.library.loader import _LineLoader, _strip_lines, files_digest
from esgledger.model.errors import (Bilingual, EsgledgerError, Location, Problem, ProblemList, found_text,
                                    pydantic_problems, reason)
from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.units import UNITS, halfwidth

CONFIDENCE = ("V", "V-calc", "S", "R", "R-low")
STATUSES = ("current", "superseded", "uncertain", "illustrative")
KEY_CATALOGUE = "keys.yaml"
Confidence = Literal["V", "V-calc", "S", "R", "R-low"]
Status = Literal["current", "superseded", "uncertain", "illustrative"]
_NAME = r"^[a-z][a-z0-9_]*$"
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
            out += "@" + _validity(self.valid_from, self.valid_to)
        return out

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


def _label(v: FactorValue) -> str:
    return v.key + ("[" + ";".join(f"{k}={m}" for k, m in v.dims) + "]" if v.dims else "") \
        + ("{" + ",".join(v.entities) + "}" if v.entities else "")


def _validity(start: dt.date | None, end: dt.date | None) -> str:
    """``2021``, ``2022–2025``, ``2024–…``, ``…–2021`` or ISO dates where not whole years."""
    a = "…" if start is None else (str(start.year) if (start.month, start.day) == (1, 1) else start.isoformat())
    b = "…" if end is None else (str(end.year) if (end.month, end.day) == (12, 31) else end.isoformat())
    return a if a == b else f"{a}–{b}"


# --- the raw shape of the files (validation only) ---------------------------------------
_YearOrDate = Union[StrictInt, dt.date]


class _RawKeyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keys: list[Any]


class _RawSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    set: str = Field(pattern=_NAME)
    version: StrictStr
    title: Text | None = None
    description: str | None = None
    priority: int = Field(default=50, ge=0, le=1000)
    gwp_set: str | None = None
    defaults: dict[str, Any] = {}
    keys: list[Any] = []
    factors: list[Any]
    editions: dict[str, Text] = {}


class _RawFactor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    dims: dict[str, Union[StrictStr, StrictInt]] = {}
    entities: list[StrictStr] = []
    value: Union[StrictStr, StrictInt]
    unit: StrictStr
    source: str | None = None
    edition: str | None = None
    confidence: Confidence
    valid_from: _YearOrDate | None = None
    valid_to: _YearOrDate | None = None
    status: Status = "current"
    note: str | None = None
    url: str | None = None


def _as_date(v: int | dt.date | None, end: bool) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date(v, 12, 31) if end else dt.date(v, 1, 1)


# --------------------------------------------------------------------------------------
@dataclass
class _File:
    label: str
    text: str
    user: bool


def _read_yaml(f: _File, problems: ProblemList) -> dict | None:
    try:
        doc = yaml.load(f.text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("ESG-FACTOR-004", Location(file=f.label, line=(mark.line + 1) if mark else None),
                                {"field": "-", "expected": "YAML", "found": reason(exc)}))
        return None
    if not isinstance(doc, dict):
        problems.append(Problem("ESG-FACTOR-004", Location(file=f.label, line=1),
                                {"field": "-", "expected": Bilingual("含 set、version 和 factors 的映射",
                                                                     "a mapping with `set`, `version` and `factors`"),
                                 "found": Bilingual("空文件", "an empty file") if doc is None else found_text(doc)}))
        return None
    return doc


def _pydantic_problems(exc: ValidationError, loc: Location, problems: ProblemList) -> None:
    for where, expected, found in pydantic_problems(exc):
        fld = ".".join(str(p) for p in where if not isinstance(p, int)) or "-"
        problems.append(Problem("ESG-FACTOR-004", loc, {"field": fld, "expected": expected, "found": found}))


def _read_keys(items: list, label: str, keys: dict[str, FactorKey], origin: dict[str, str],
               problems: ProblemList) -> None:
    for item in items:
        line = item.get("__line__") if isinstance(item, dict) else None
        loc = Location(file=label, line=line, field=item.get("key") if isinstance(item, dict) else None)
        if not isinstance(item, dict):
            problems.append(Problem("ESG-FACTOR-004", loc, {"field": "keys", "expected": Bilingual("映射（键: 值）", "a mapping"),
                                                             "found": found_text(item)}))
            continue
        try:
            k = FactorKey.model_validate(_strip_lines(item))
        except ValidationError as exc:
            _pydantic_problems(exc, loc, problems)
            continue
        if k.key in keys:
            problems.append(Problem("ESG-FACTOR-007", loc, {"field": "key", "found": k.key, "first": origin[k.key]}))
            continue
        bad = [u for u in k.units if not UNITS.is_known(u)]
        if bad:
            problems.append(Problem("ESG-FACTOR-006", loc, {"field": k.key, "found": ", ".join(bad)}))
            continue
        keys[k.key] = k
        origin[k.key] = f"{label}:{line}"


def _check_value(raw: _RawFactor, key: FactorKey | None, loc: Location,
                 problems: ProblemList) -> Decimal | None:
    """Key, dimensions, unit, citation and number checks of one entry; the value or None."""
    if key is None:
        problems.append(Problem("ESG-FACTOR-005", loc, {"found": raw.key}))
        return None
    ok = True
    for name, member in raw.dims.items():
        if name not in key.dims:
            problems.append(Problem("ESG-FACTOR-008", loc, {"field": raw.key, "found": name,
                                                             "expected": ", ".join(key.dims) or Bilingual("无维度", "no dimensions")}))
            ok = False
        elif key.dims[name] is not None and str(member) not in key.dims[name]:
            problems.append(Problem("ESG-FACTOR-008", loc, {"field": raw.key, "found": f"{name}={member}",
                                                             "expected": ", ".join(key.dims[name])}))
            ok = False
    for fld in ("source", "edition"):
        if not (getattr(raw, fld) or "").strip():
            problems.append(Problem("ESG-FACTOR-001", loc, {"field": raw.key, "expected": fld}))
            ok = False
    if not UNITS.is_known(raw.unit):
        problems.append(Problem("ESG-FACTOR-006", loc, {"field": raw.key, "found": raw.unit}))
        ok = False
    elif not any(UNITS.compatible(raw.unit, u) for u in key.units):
        problems.append(Problem("ESG-FACTOR-002", loc, {"field": raw.key, "found": raw.unit,
                                                         "expected": Bilingual(" 或 ".join(key.units), " or ".join(key.units))}))
        ok = False
    try:
        value = Decimal(halfwidth(str(raw.value).strip()))  # "０．３９５" as typed with a Chinese IME
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(Problem("ESG-FACTOR-004", loc, {"field": "value", "expected": Bilingual("十进制数字", "a decimal number"),
                                                         "found": str(raw.value)[:60]}))
        return None
    if value < 0 and not key.signed:  # a negative anode consumption would lower Scope 1 silently
        problems.append(Problem("ESG-FACTOR-004", loc, {
            "field": "value", "found": str(raw.value).strip(),
            "expected": Bilingual(f"不小于 0 的数（{raw.key} 不可能为负；可为负的自定义因子键须注明 signed: true）",
                                  f"a number of at least 0 ({raw.key} cannot be negative; a key of your own "
                                  f"that can be declares signed: true)")}))
        ok = False
    vf, vt = _as_date(raw.valid_from, False), _as_date(raw.valid_to, True)
    if vf and vt and vf > vt:
        problems.append(Problem("ESG-FACTOR-004", loc, {"field": "valid_to", "expected": Bilingual(f"不早于 {vf} 的日期", f"a date on or after {vf}"),
                                                         "found": str(vt)}))
        ok = False
    return value if ok else None


def _read_set(doc: dict, f: _File, keys: dict[str, FactorKey], problems: ProblemList) -> FactorSet | None:
    head_loc = Location(file=f.label, line=doc.get("__line__"))
    try:
        head = _RawSet.model_validate({k: (_strip_lines(v) if k != "factors" else v)
                                       for k, v in doc.items() if k != "__line__"})
    except ValidationError as exc:
        _pydantic_problems(exc, head_loc, problems)
        return None
    defaults = _strip_lines(head.defaults)
    values: list[FactorValue] = []
    for item in head.factors:
        line = item.get("__line__") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            problems.append(Problem("ESG-FACTOR-004", Location(file=f.label, line=line),
                                    {"field": "factors", "expected": Bilingual("映射（键: 值）", "a mapping"),
                                     "found": found_text(item)}))
            continue
        merged = {**defaults, **_strip_lines(item)}
        loc = Location(file=f.label, line=line, field=merged.get("key"))
        if "value" in merged and isinstance(merged["value"], float):
            problems.append(Problem("ESG-FACTOR-004", loc, {
                "field": "value", "expected": Bilingual("加引号的十进制数（如 \"0.5568\"）",
                                                        "a decimal written as a string (\"0.5568\")"),
                "found": str(merged["value"])}))
            continue
        try:
            raw = _RawFactor.model_validate(merged)
        except ValidationError as exc:
            _pydantic_problems(exc, loc, problems)
            continue
        value = _check_value(raw, keys.get(raw.key), loc, problems)
        if value is None:
            continue
        values.append(FactorValue(
            set_name=head.set, set_version=head.version, key=raw.key,
            dims=tuple(sorted((k, str(v)) for k, v in raw.dims.items())),
            entities=tuple(sorted({e.strip() for e in raw.entities if e.strip()})),
            value=value, unit=UNITS.canonical(raw.unit), source=raw.source.strip(),
            edition=raw.edition.strip(), confidence=raw.confidence,
            valid_from=_as_date(raw.valid_from, False), valid_to=_as_date(raw.valid_to, True),
            status=raw.status, note=raw.note, url=raw.url, file=f.label, line=line, user=f.user))
    _check_overlaps(values, problems)
    check_editions(doc, head.editions, values, f.label, problems)
    return FactorSet(name=head.set, version=head.version, title=head.title, description=head.description,
                     priority=head.priority, gwp_set=head.gwp_set, user=f.user, file=f.label,
                     values=tuple(values), editions=tuple((k.strip(), t) for k, t in head.editions.items()))


def _check_overlaps(values: list[FactorValue], problems: ProblemList) -> None:
    by: dict[tuple, list[FactorValue]] = {}
    for v in values:
        by.setdefault((v.key, v.dims, v.entities), []).append(v)
    lo, hi = dt.date.min, dt.date.max
    for group in by.values():
        for i, b in enumerate(group):
            for a in group[:i]:
                if (a.valid_from or lo) <= (b.valid_to or hi) and (b.valid_from or lo) <= (a.valid_to or hi):
                    span = _validity(b.valid_from, b.valid_to)
                    if span == "…":  # no validity: every year
                        span = Bilingual("所有年份", "(every year)")
                    # the same value for the same validity again is the value given twice, not an
                    # overlap (another value for it stays an overlap: which one holds is the question)
                    code = ("ESG-FACTOR-007" if (a.valid_from, a.valid_to, a.value, a.unit)
                            == (b.valid_from, b.valid_to, b.value, b.unit) else "ESG-FACTOR-003")
                    problems.append(Problem(code, Location(file=b.file, line=b.line, field=b.key),
                                            {"field": _label(b), "found": span, "first": f"{a.file}:{a.line}"}))
                    break


def _check_same_rank(sets: Mapping[str, "FactorSet"], problems: ProblemList) -> None:
    """Two of the workspace's own sets at the same priority giving a value of the same key and
    dimensions for overlapping validity (ESG-FACTOR-011, at the later file's line, naming the
    earlier one's): :meth:`FactorLibrary.lookup` ranks user sets by priority alone, so it could
    not choose between them and every calculation reading the key would fail (ESG-FACTOR-010)
    — refused when the sets load, as one file's overlap is (ESG-FACTOR-003). Sets in file-name
    order; the shipped sets are not compared (a lookup names the one it prefers)."""
    lo, hi = dt.date.min, dt.date.max
    seen: dict[tuple, list[tuple[FactorSet, FactorValue]]] = {}
    for fs in sorted((s for s in sets.values() if s.user), key=lambda s: (s.file, s.name)):
        for b in fs.values:
            earlier = seen.setdefault((fs.priority, b.key, b.dims, b.entities), [])
            for other, a in earlier:
                if other.name != fs.name and (a.valid_from or lo) <= (b.valid_to or hi) \
                        and (b.valid_from or lo) <= (a.valid_to or hi):
                    span = _validity(b.valid_from, b.valid_to)
                    problems.append(Problem("ESG-FACTOR-011", Location(file=b.file, line=b.line, field=b.key), {
                        "field": _label(b), "found": Bilingual("所有年份", "(every year)") if span == "…" else span,
                        "first": f"{a.file}:{a.line}", "expected": str(fs.priority)}))
                    break
            earlier.append((fs, b))


# --------------------------------------------------------------------------------------
def _shipped_files(root) -> tuple[_File | None, list[_File]]:
    keys = None
    files = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        f = _File(f"factors/{entry.name}", entry.read_text(encoding="utf-8"), False)
        if entry.name == KEY_CATALOGUE:
            keys = f
        else:
            files.append(f)
    return keys, files


def _user_files(extra: Iterable[Path | str], problems: ProblemList) -> list[_File]:
    """The workspace's factor files; one that is not UTF-8 (saved as GBK) is ESG-FACTOR-004."""
    out = []
    for d in extra:
        p = Path(d)
        paths = [p] if p.is_file() else sorted(p.glob("*.yaml"))
        for q in paths:
            text, bad = read_utf8(q)
            if bad is not None:
                problems.append(Problem("ESG-FACTOR-004", Location(file=str(q), line=bad.line),
                                        {"field": "-", "expected": expected_utf8("YAML"), "found": bad.found()}))
                continue
            out.append(_File(str(q), text, True))
    return out


def load_factor_sets_from(root, extra_dirs: Iterable[Path | str] = ()) -> tuple["FactorLibrary | None", ProblemList]:
    """Load the key catalogue and the factor sets of ``root`` (a folder or Traversable holding
    ``keys.yaml`` and set files) plus the user's folders or files; ``(library, problems)``."""
    problems = ProblemList()
    key_file, files = _shipped_files(root)
    files += _user_files(extra_dirs, problems)
    keys: dict[str, FactorKey] = {}
    key_origin: dict[str, str] = {}
    if key_file is not None:
        doc = _read_yaml(key_file, problems)
        if doc is not None:
            try:
                _RawKeyFile.model_validate({k: v for k, v in doc.items() if k != "__line__"})
                _read_keys(doc["keys"], key_file.label, keys, key_origin, problems)
            except ValidationError as exc:
                _pydantic_problems(exc, Location(file=key_file.label, line=1), problems)
    docs = [(f, _read_yaml(f, problems)) for f in files]
    for f, doc in docs:  # keys first, so a user file may use the keys it defines
        if doc is not None and isinstance(doc.get("keys"), list):
            _read_keys(doc["keys"], f.label, keys, key_origin, problems)
    sets: dict[str, FactorSet] = {}
    for f, doc in docs:
        if doc is None:
            continue
        fs = _read_set(doc, f, keys, problems)
        if fs is None:
            continue
        if fs.name in sets:
            problems.append(Problem("ESG-FACTOR-007", Location(file=f.label, line=doc.get("__line__")),
                                    {"field": "set", "found": fs.name, "first": sets[fs.name].file}))
            continue
        sets[fs.name] = fs
    _check_same_rank(sets, problems)
    if problems.errors:
        return None, problems
    return FactorLibrary(sets, keys), problems


_CACHE: dict[tuple, "FactorLibrary"] = {}


def load_factor_sets(extra_dirs: Iterable[Path | str] = ()) -> "FactorLibrary":
    """The shipped factor sets plus a workspace's own factor files (folders or files), whose
    values take priority where they apply. Raises :class:`FactorError` with the problems.
    Loaded once per content of those files: a file added or edited since gives a new library
    (and so a full recalculation), also in a process that keeps running."""
    key = tuple((str(p), files_digest(Path(p))) for p in extra_dirs)
    if key not in _CACHE:
        root = resources.files("esgledger.library").joinpath("data").joinpath("factors")
        lib, problems = load_factor_sets_from(root, extra_dirs)
        if lib is None:
            raise FactorError(problems.errors)
        _CACHE[key] = lib
    return _CACHE[key]


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


__all__ = ["CONFIDENCE", "FactorError", "FactorKey", "FactorLibrary", "FactorLookupError", "FactorSet",
           "FactorValue", "load_factor_sets", "load_factor_sets_from"]
