"""Factor set files: reading, validating and loading them into a :class:`FactorLibrary`.

Loading is one function from files to ``(library, problems)`` (:func:`load_factor_sets_from`);
a file with a missing citation, a unit that does not fit, overlapping validity or any other
problem is rejected with its file and line, and no half-loaded library is returned.
:func:`load_factor_sets` is the shipped sets plus a workspace's own files, loaded once per
content of those files.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from esgledger.library.editions import check_editions
from esgledger.library.factor_library import (Confidence, FactorError, FactorKey, FactorLibrary, FactorSet,
                                              FactorValue, Status, Text, validity_text)
from esgledger.library.loader import _LineLoader, _strip_lines, files_digest
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, found_text, pydantic_problems, reason
from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.units import UNITS, halfwidth

KEY_CATALOGUE = "keys.yaml"
_NAME = r"^[a-z][a-z0-9_]*$"


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


_LO, _HI = dt.date.min, dt.date.max


def _overlap(a: FactorValue, b: FactorValue) -> tuple[dt.date, dt.date] | None:
    """The first and last day both values are valid (``date.min``/``max`` for an open end), or None."""
    start, end = max(a.valid_from or _LO, b.valid_from or _LO), min(a.valid_to or _HI, b.valid_to or _HI)
    return (start, end) if start <= end else None


def _span_text(start: dt.date | None, end: dt.date | None) -> str | Bilingual:
    """A validity as a problem names it: ``2024``, ``2023–2024``; "(every year)" for none."""
    span = validity_text(None if start == _LO else start, None if end == _HI else end)
    return Bilingual("所有年份", "(every year)") if span == "…" else span


def _check_overlaps(values: list[FactorValue], problems: ProblemList) -> None:
    by: dict[tuple, list[FactorValue]] = {}
    for v in values:
        by.setdefault((v.key, v.dims, v.entities), []).append(v)
    for group in by.values():
        for i, b in enumerate(group):
            for a in group[:i]:
                if _overlap(a, b):
                    # the same value for the same validity again is the value given twice, not an
                    # overlap (another value for it stays an overlap: which one holds is the question)
                    code = ("ESG-FACTOR-007" if (a.valid_from, a.valid_to, a.value, a.unit)
                            == (b.valid_from, b.valid_to, b.value, b.unit) else "ESG-FACTOR-003")
                    problems.append(Problem(code, Location(file=b.file, line=b.line, field=b.key), {
                        "field": b.label, "found": _span_text(b.valid_from, b.valid_to), "first": f"{a.file}:{a.line}"}))
                    break


def _check_same_rank(sets: Mapping[str, "FactorSet"], problems: ProblemList) -> None:
    """Two of the workspace's own sets at the same priority giving a value of the same key and
    dimensions for overlapping validity (ESG-FACTOR-011, at the later file's line, naming the
    earlier one's): :meth:`FactorLibrary.lookup` ranks user sets by priority alone, so it could
    not choose between them and every calculation reading the key would fail (ESG-FACTOR-010)
    — refused when the sets load, as one file's overlap is (ESG-FACTOR-003). Sets in file-name
    order; the shipped sets are not compared (a lookup names the one it prefers)."""
    seen: dict[tuple, list[tuple[FactorSet, FactorValue]]] = {}
    for fs in sorted((s for s in sets.values() if s.user), key=lambda s: (s.file, s.name)):
        for b in fs.values:
            earlier = seen.setdefault((fs.priority, b.key, b.dims, b.entities), [])
            for other, a in earlier:
                if other.name != fs.name and _overlap(a, b):
                    problems.append(Problem("ESG-FACTOR-011", Location(file=b.file, line=b.line, field=b.key), {
                        "field": b.label, "found": _span_text(b.valid_from, b.valid_to),
                        "first": f"{a.file}:{a.line}", "expected": str(fs.priority)}))
                    break
            earlier.append((fs, b))


def _weighed_together(sets: Mapping[str, FactorSet]) -> list[list[FactorValue]]:
    """The values of one key that one lookup weighs together: a set's own; the workspace's sets
    at one priority (the shipped sets are not compared with each other, as for ESG-FACTOR-011).
    Each list in the order the problems name them: the workspace's sets first, by file."""
    groups: dict[tuple, list[FactorValue]] = {}
    for fs in sorted(sets.values(), key=lambda s: (not s.user, s.file, s.name)):
        rank = ("user", fs.priority) if fs.user else ("shipped", fs.name)
        for v in fs.values:
            groups.setdefault((rank, v.key), []).append(v)
    return list(groups.values())


def _check_entity_ties(sets: Mapping[str, FactorSet], problems: ProblemList) -> None:
    """Two values a lookup would weigh together — of one set, or of two of the workspace's sets
    at the same priority — for the same key and dimensions and overlapping validity, whose
    entity lists differ but name an entity in common (``[TLYX]`` and ``[NJTS, TLYX]``):
    ESG-FACTOR-013 at the later value's line, naming the earlier one's file and line and the
    entities both name. Lists that are the same are ESG-FACTOR-003/007/011 already.

    Exactly these pairs are ambiguous. A lookup at entity X walks X's chain (X, then its parents
    at the period's end) and, of two values as specific in their dimensions, takes the one for
    the nearer entity (:meth:`FactorLibrary.lookup`); the two tie when the first entity of the
    chain that either list names is named by both. So they can tie only at an entity both name,
    or under it; and if they name one in common they do tie — at that entity itself, whose chain
    starts with it (under it too, down to where a nearer value applies). Lists naming an
    entity and one under it (``[TLYX]`` and ``[TLYX-P1]``) never tie: the nearer one wins
    wherever both apply; nor does a list with the list of none (a value for every entity is
    always the farthest).

    The check reads no tree, neither the memberships ever held nor the latest: whether two
    lists tie depends on the lists alone, so a tie is one under the tree of every date (a plant
    that changes parent cannot make two values tie or stop tying), and the factor files are
    refused when they load, before any tree is read (ESG-FACTOR-012 then checks the codes)."""
    for group in _weighed_together(sets):
        for i, b in enumerate(group):
            if not b.entities:
                continue
            for a in group[:i]:
                shared = sorted(set(a.entities) & set(b.entities))
                if a.dims == b.dims and shared and a.entities != b.entities and _overlap(a, b):
                    codes = ", ".join(shared)
                    remedy = (Bilingual(f"请只在其中一个取值的 entities 中列出 {codes}，或使有效期不重叠",
                                        f"name {codes} in one of the two lists only, or make the validities not overlap")
                              if a.set_name == b.set_name else
                              Bilingual(f"请只在其中一个取值的 entities 中列出 {codes}，使有效期不重叠，"
                                        f"或提高其中一个因子集的优先级",
                                        f"name {codes} in one of the two lists only, make the validities not "
                                        f"overlap, or give one set a higher priority"))
                    problems.append(Problem("ESG-FACTOR-013", Location(file=b.file, line=b.line, field=b.key), {
                        "field": b.label, "found": _span_text(b.valid_from, b.valid_to),
                        "other": a.label, "first": f"{a.file}:{a.line}", "entity": codes, "expected": remedy}))
                    break


def _first_gap(span: tuple[dt.date, dt.date], covers: list[tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date] | None:
    """The first stretch (first and last day) of ``span`` that no stretch of ``covers`` covers."""
    day, end = span
    for start, stop in sorted(covers):
        if start > day:
            return day, min(start - dt.timedelta(days=1), end)
        if stop >= end:
            return None
        day = max(day, stop + dt.timedelta(days=1))
    return day, end


def _dimension_tie(a: FactorValue, b: FactorValue, group: list[FactorValue]) -> tuple | None:
    """Where a lookup could not choose between ``a`` and ``b`` for their dimensions: None, or
    (the dimensions of both, the entities where they tie — ``[None]`` for every entity —, the
    first and last day of the first stretch of validity where they do). See
    :func:`_check_dimension_ties`."""
    if len(a.dims) != len(b.dims) or a.dims == b.dims:
        return None
    union = dict(a.dims)
    for name, member in b.dims:
        if union.setdefault(name, member) != member:  # another member of a dimension both name
            return None
    span = _overlap(a, b)
    if span is None:
        return None
    places = sorted(set(a.entities) & set(b.entities)) if a.entities or b.entities else [None]
    more = [v for v in group if v.set_name in (a.set_name, b.set_name) and len(v.dims) > len(a.dims)
            and all(union.get(name) == member for name, member in v.dims)]
    gaps = [(place, _first_gap(span, [(v.valid_from or _LO, v.valid_to or _HI) for v in more
                                      if not v.entities or place in v.entities])) for place in places]
    gaps = [(place, gap) for place, gap in gaps if gap]
    if not gaps:
        return None
    return union, [place for place, gap in gaps if gap == gaps[0][1]], gaps[0][1]


def _check_dimension_ties(sets: Mapping[str, FactorSet], problems: ProblemList) -> None:
    """Two values a lookup would weigh together (as for ESG-FACTOR-013) for different dimensions,
    as many of them and none named by both with different members (``[material=alumina]`` and
    ``[supplier=jxtg]``), valid on a day in common and for every entity or both for an entity in
    common, where no value more specific than both applies: ESG-FACTOR-014 at the later value's
    line, naming the earlier one's file and line, the dimensions of both and where they tie.

    Exactly these pairs are ambiguous. A value applies where every dimension it names is the
    query's, and the lookup keeps the values with the most dimensions, then the nearest entity
    (:meth:`FactorLibrary.lookup`). A query matches both values exactly when it names the
    dimensions of both; then both are kept unless a value with more dimensions applies — one
    naming only dimensions of both (``[material=alumina;supplier=jxtg]``, their union, the usual
    one): a value naming anything else does not apply to the query naming just the union. Of
    the two, neither is nearer exactly where ESG-FACTOR-013 finds two lists tie — at an entity
    both lists name, or everywhere for two values for every entity (a value for some entities is
    nearer than one for every entity wherever it applies).

    A more specific value counts only from the sets of the two (a lookup restricted to those
    sets still has it), valid on the day (a stretch without one is named), and for every entity
    or for the entity where they tie. The check reads no tree (as for ESG-FACTOR-013), so a
    value for a parent of that entity does not count: the entity may leave that parent (a plant
    sold in the year), and under a tree where it stands alone the two tie. What is refused is
    exactly what some lookup, under some tree or for no entity, could not choose between; two
    values for every entity are decided for every lookup only by a value for every entity."""
    for group in _weighed_together(sets):
        for i, b in enumerate(group):
            for a in group[:i]:
                tie = _dimension_tie(a, b, group)
                if tie is not None:
                    problems.append(_dimension_tie_problem(a, b, *tie))
                    break


def _dimension_tie_problem(a: FactorValue, b: FactorValue, union: dict[str, str], places: list[str | None],
                           gap: tuple[dt.date, dt.date]) -> Problem:
    """ESG-FACTOR-014 for ``b`` tying with the earlier ``a`` (:func:`_dimension_tie`): what to
    add is a value for the dimensions of both, for the entities and the stretch where they tie."""
    both = f"{b.key}[" + ";".join(f"{k}={m}" for k, m in sorted(union.items())) + "]"
    codes = ", ".join(p for p in places if p)
    valid = (Bilingual("所有年份均有效的", "valid in every year") if gap == (_LO, _HI) else
             Bilingual(f"在 {_span_text(*gap)} 有效的", f"valid in {_span_text(*gap)}"))
    scope = Bilingual(f"适用于 {codes}（或所有主体）且", f" for {codes} (or every entity)") if codes else Bilingual("", "")
    two_sets = a.set_name != b.set_name
    remedy = Bilingual(
        f"请为 {both} 添加一个{scope.zh}{valid.zh}取值，让其中一个取值再给出一个维度或给出另一个取值所用维度的"
        f"其他成员，或使有效期不重叠" + ("，或提高其中一个因子集的优先级" if two_sets else ""),
        f"add a value for {both}{scope.en} {valid.en}, make one of the two name one more dimension or another "
        f"member of a dimension the other names, or make the validities not overlap"
        + (", or give one set a higher priority" if two_sets else ""))
    return Problem("ESG-FACTOR-014", Location(file=b.file, line=b.line, field=b.key), {
        "field": b.label, "found": _span_text(b.valid_from, b.valid_to), "other": a.label,
        "first": f"{a.file}:{a.line}", "dims": both,
        "entity": Bilingual(f"在 {codes} ", f" at {codes}") if codes else Bilingual("", ""), "expected": remedy})


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
    _check_entity_ties(sets, problems)
    _check_dimension_ties(sets, problems)
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


__all__ = ["KEY_CATALOGUE", "load_factor_sets", "load_factor_sets_from"]
