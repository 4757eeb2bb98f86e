"""Load and check the indicator library: data files in, a :class:`Library` or problems out.

Loading is one function from files to ``(library, problems)``; a library with any error is
never returned half-loaded (:func:`load_library` raises :class:`LibraryError` instead). The
files are read here; the record is :mod:`esgledger.library.indicator_library`, the checks
across files :mod:`esgledger.library.cross_checks`; this module hands on the record's names.
"""
from __future__ import annotations

import csv
import hashlib
import io
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import ValidationError

from esgledger.model.errors import (Bilingual, EsgledgerError, Location, Problem, ProblemList, found_text,
                                    pydantic_problems, reason)
from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.formula import Node
from esgledger.library.cross_checks import (check_cycles, check_formula, check_indicator, check_member_within,
                                            parse_formula)
from esgledger.library.indicator_library import (FRAMEWORK_FILES, FRAMEWORK_NAMES, FrameworkCode, Library,
                                                 reachable)
from esgledger.library.schema import Dimension, Indicator, Topic, UserDimension

__all__ = ["FRAMEWORK_FILES", "FRAMEWORK_NAMES", "FrameworkCode", "Library", "LibraryError", "files_digest",
           "load_library", "load_library_from", "reachable"]


class LibraryError(EsgledgerError, ValueError):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = ProblemList(problems)
        super().__init__("\n".join(p.render("en") for p in self.problems[:30]))


# Columns a framework table must fill on every row (checked at load, reported with file:line).
REQUIRED_COLUMNS = {
    "gri": ("title_zh",),  # the Chinese disclosure title printed by the zh GRI content index
}


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip_lines(v) for v in obj]
    return obj


# --------------------------------------------------------------------------------------
def _read_frameworks(root, problems: ProblemList) -> dict[str, dict[str, FrameworkCode]]:
    out: dict[str, dict[str, FrameworkCode]] = {}
    for fw, (fname, key) in FRAMEWORK_FILES.items():
        text = root.joinpath("frameworks", fname).read_text(encoding="utf-8")
        where = f"frameworks/{fname}"
        reader = csv.DictReader(io.StringIO(text))
        required = REQUIRED_COLUMNS.get(fw, ())
        absent = [c for c in required if c not in (reader.fieldnames or [])]
        for c in absent:
            problems.append(Problem("ESG-LIB-001", Location(file=where, line=1), {
                "expected": Bilingual(f"含 {c} 列的 CSV 表", f"a CSV table with a {c} column"), "found": ",".join(reader.fieldnames or [])}))
        table: dict[str, FrameworkCode] = {}
        for row in reader:
            code = row[key].strip()
            for c in required:
                if c not in absent and not (row.get(c) or "").strip():
                    problems.append(Problem("ESG-LIB-002", Location(file=where, line=reader.line_num, field=code),
                                            {"field": c, "expected": Bilingual("非空的值", "a non-empty value"),
                                             "found": found_text(row.get(c) or None)}))
            title = (row.get("title") or row.get("topic_en") or row.get("name_en")
                     or row.get("title_en") or row.get("metric") or "")
            title_zh = (row.get("title_zh") or row.get("topic_zh") or row.get("name_zh") or "").strip()
            table[code] = FrameworkCode(fw, code, title, (row.get("confidence") or "R").strip(), row, title_zh)
        out[fw] = table
    return out


def _yaml_items(text: str, fname: str, section: str, problems: ProblemList) -> list[dict]:
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("ESG-LIB-001", Location(file=fname, line=(mark.line + 1) if mark else None),
                                {"expected": "YAML", "found": reason(exc)}))
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(section), list):
        problems.append(Problem("ESG-LIB-001", Location(file=fname, line=1),
                                {"expected": Bilingual(f"含 {section} 列表的映射", f"a mapping with a list '{section}'"),
                                 "found": Bilingual("空文件", "an empty file") if doc is None else found_text(doc)}))
        return []
    return [item for item in doc[section]]


def _validate(model, item: Any, fname: str, problems: ProblemList):
    line = item.get("__line__") if isinstance(item, dict) else None
    if not isinstance(item, dict):
        problems.append(Problem("ESG-LIB-002", Location(file=fname, line=line),
                                {"field": "-", "expected": Bilingual("映射（键: 值）", "a mapping"), "found": found_text(item)}))
        return None
    try:
        return model.model_validate(_strip_lines(item)), line
    except ValidationError as exc:
        for where, expected, found in pydantic_problems(exc):
            fld = ".".join(str(p) for p in where)
            problems.append(Problem("ESG-LIB-002", Location(file=fname, line=line, field=item.get("code")),
                                    {"field": fld, "expected": expected, "found": found}))
        return None


def _member_lines(item, fname: str) -> dict[str, tuple[str, int | None]]:
    """Where each member of a dimensions.yaml entry is written: (file, line) by member code."""
    out = {}
    members = item.get("members") if isinstance(item, dict) else None
    for m in members if isinstance(members, list) else ():
        if isinstance(m, dict) and isinstance(m.get("code"), str):
            out[m["code"]] = (fname, m.get("__line__"))
    return out


def _merge_dimensions(dimensions: dict[str, Dimension], text: str, fname: str, problems: ProblemList,
                      where: dict[tuple[str, str], tuple] | None = None, rejected: set[str] | None = None) -> None:
    """Add a workspace's ``dimensions.yaml`` to the shipped dimensions: members of a known
    dimension are appended to it (a member code it has already is ESG-LIB-003), an unknown
    code is a new dimension and needs a name (ESG-LIB-002). ``where`` gets the file and line
    of each member added; ``rejected`` the codes of entries that are malformed."""
    for item in _yaml_items(text, fname, "dimensions", problems):
        got = _validate(UserDimension, item, fname, problems)
        if not got:
            if rejected is not None:
                rejected.update(_code_of(item))
            continue
        ud, line = got
        if where is not None:
            where.update({(ud.code, c): at for c, at in _member_lines(item, fname).items()})
        known = dimensions.get(ud.code)
        if known is None:
            if ud.name is None:
                problems.append(Problem("ESG-LIB-002", Location(file=fname, line=line, field=ud.code), {
                    "field": "name", "expected": Bilingual("新维度的中英文名称", "the zh/en name of a new dimension"),
                    "found": Bilingual("无", "none")}))
                if rejected is not None:
                    rejected.add(ud.code)
                continue
            known = Dimension(code=ud.code, name=ud.name, members=[])
        members = list(known.members)
        codes = {m.code for m in members}
        for m in ud.members:
            if m.code in codes:
                problems.append(Problem("ESG-LIB-003", Location(file=fname, line=line, field=ud.code),
                                        {"found": f"{ud.code}={m.code}", "first": "dimensions.yaml"}))
                continue
            codes.add(m.code)
            members.append(m)
        dimensions[ud.code] = known.model_copy(update={"members": members})


def load_library_from(root, extra_dirs: Iterable[Path] = ()) -> tuple[Library | None, ProblemList]:
    """Load the library from ``root`` (a Traversable with ``indicators/*.yaml``,
    ``topics.yaml``, ``dimensions.yaml`` and ``frameworks/``) plus user folders."""
    problems = ProblemList()
    # codes of entries already reported as malformed: what names them is not reported again
    # (an indicator over a dimension, a formula over an indicator, that failed to load)
    rejected: set[str] = set()
    frameworks = _read_frameworks(root, problems)

    dimensions: dict[str, Dimension] = {}
    dim_lines: dict[str, int | None] = {}
    member_at: dict[tuple[str, str], tuple[str, int | None]] = {}  # (dimension, member) -> (file, line)
    for item in _yaml_items(root.joinpath("dimensions.yaml").read_text(encoding="utf-8"),
                            "dimensions.yaml", "dimensions", problems):
        got = _validate(Dimension, item, "dimensions.yaml", problems)
        if not got:
            rejected.update(_code_of(item))
        else:
            dimensions[got[0].code] = got[0]
            dim_lines[got[0].code] = got[1]
            member_at.update({(got[0].code, c): at for c, at in _member_lines(item, "dimensions.yaml").items()})
    for d in dimensions.values():  # one level: a supplier within a material, not deeper
        if d.within is not None and (d.within not in dimensions or d.within == d.code
                                     or dimensions[d.within].within is not None):
            problems.append(Problem(
                "ESG-LIB-002", Location(file="dimensions.yaml", line=dim_lines[d.code], field=d.code), {
                    "field": "within", "found": d.within,
                    "expected": Bilingual("dimensions.yaml 中另一个本身未嵌套的维度",
                                          "another dimension of dimensions.yaml, not itself within one")}))
    topics: dict[str, Topic] = {}
    for item in _yaml_items(root.joinpath("topics.yaml").read_text(encoding="utf-8"),
                            "topics.yaml", "topics", problems):
        got = _validate(Topic, item, "topics.yaml", problems)
        if got:
            topics[got[0].code] = got[0]

    files: list[tuple[str, str]] = []
    digest = hashlib.sha256()
    for name in ("dimensions.yaml", "topics.yaml", "rules.yaml"):
        digest.update(root.joinpath(name).read_bytes())
    ind_dir = root.joinpath("indicators")
    for entry in sorted(ind_dir.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            files.append((f"indicators/{entry.name}", entry.read_text(encoding="utf-8")))
    rules = _yaml_items(root.joinpath("rules.yaml").read_text(encoding="utf-8"), "rules.yaml", "rules", problems)
    for d in extra_dirs:
        for p in sorted(Path(d).glob("*.yaml")):
            text, bad = read_utf8(p)  # a workspace's own file, perhaps saved as GBK
            if bad is not None:
                problems.append(Problem("ESG-LIB-001", Location(file=str(p), line=bad.line),
                                        {"expected": expected_utf8("YAML"), "found": bad.found()}))
                continue
            if p.name == "rules.yaml":  # a workspace's own rule pack
                rules += _yaml_items(text, str(p), "rules", problems)
            elif p.name == "dimensions.yaml":  # a workspace's own members and dimensions
                digest.update(str(p).encode() + b"\0" + text.encode())
                _merge_dimensions(dimensions, text, str(p), problems, member_at, rejected)
            else:
                files.append((str(p), text))
    check_member_within(dimensions, member_at, problems)

    indicators: dict[str, Indicator] = {}
    origin: dict[str, str] = {}
    for fname, text in files:
        digest.update(fname.encode() + b"\0" + text.encode())
        for item in _yaml_items(text, fname, "indicators", problems):
            got = _validate(Indicator, item, fname, problems)
            if not got:
                rejected.update(_code_of(item))
                continue
            ind, line = got
            where = f"{fname}:{line}"
            if ind.code in indicators:
                problems.append(Problem("ESG-LIB-003", Location(file=fname, line=line),
                                        {"found": ind.code, "first": origin[ind.code]}))
                continue
            indicators[ind.code] = ind
            origin[ind.code] = where

    formulas: dict[str, Node] = {}
    checks: dict[str, Node] = {}
    for code, ind in indicators.items():
        fname, _, line = origin[code].rpartition(":")
        loc = Location(file=fname, line=int(line), field=code)
        check_indicator(ind, loc, topics, dimensions, frameworks, problems, rejected)
        if ind.kind == "formula":
            node = parse_formula(ind.formula, loc, problems)
            if node is not None:
                formulas[code] = node
        if ind.check is not None:
            node = parse_formula(ind.check.formula, loc, problems)
            if node is not None:
                checks[code] = node
    for code, node in list(formulas.items()) + list(checks.items()):
        fname, _, line = origin[code].rpartition(":")
        loc = Location(file=fname, line=int(line), field=code)
        check_formula(indicators[code], node, loc, indicators, problems, rejected)
    check_cycles(formulas, origin, problems)

    if problems.errors:
        return None, problems
    for r in rules:
        # ESG-VAL-003 names a target and the figure it is about; ESG-VAL-007 a part and its whole
        keys = ("indicator", "than") if isinstance(r, dict) and r.get("code") == "ESG-VAL-007" else ("target", "indicator")
        for key in keys:
            if isinstance(r, dict) and r.get(key) not in indicators:
                problems.append(Problem("ESG-LIB-006", Location(file="rules.yaml", line=r.get("__line__")), {
                    "formula": r.get("code"), "found": r.get(key)}))
    if problems.errors:
        return None, problems
    return (Library(indicators, topics, dimensions, frameworks, formulas, checks, origin,
                    [_strip_lines(r) for r in rules], digest.hexdigest()), problems)


def _code_of(item) -> set[str]:
    """The code a malformed entry gives itself, if any (to recognise it where it is named)."""
    code = item.get("code") if isinstance(item, dict) else None
    return {code} if isinstance(code, str) else set()


_CACHE: dict[tuple, Library] = {}


def files_digest(path: Path) -> str:
    """What a workspace's folder of YAML files (or one such file) holds: names and bytes. The
    library and the factor sets are loaded once per content, not once per path."""
    h = hashlib.sha256()
    for p in [path] if path.is_file() else sorted(path.glob("*.yaml")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def load_library(extra_dirs: Iterable[Path] = ()) -> Library:
    """The shipped library (plus a workspace's own indicator files); raises LibraryError.
    Loaded once per content of those files: a file edited since (a supplier added to
    ``dimensions.yaml``) gives a new library, so a process that keeps running sees it."""
    key = tuple((str(d), files_digest(Path(d))) for d in extra_dirs)
    if key not in _CACHE:
        root = resources.files("esgledger.library").joinpath("data")
        lib, problems = load_library_from(root, extra_dirs)
        if lib is None:
            raise LibraryError(problems.errors)
        _CACHE[key] = lib
    return _CACHE[key]
