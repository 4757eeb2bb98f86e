"""Targets against a baseline year (目标与基准年) as library data: the shipped
``library/data/targets.yaml`` (the seed's 2025 targets against 2021) and, where present, the
workspace's own ``targets.yaml`` (a target with the same code replaces the shipped one).

Read by the calculation (:mod:`esgledger.calc.targets` assesses them from the ledger) and by the
report (a ``target`` chart may name a target by its code). A bad file is refused whole with
the file and the field (ESG-LIB-001 / ESG-LIB-002).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import yaml

from esgledger.model.errors import Bilingual, EsgledgerError, Location, Problem, found_text, reason
from esgledger.model.textfile import decode_utf8, expected_utf8

FILE_NAME = "targets.yaml"
FIELDS = ("code", "name", "indicator", "entity", "baseline_year", "target_year", "change_pct",
          "baseline_value", "source")


class TargetsFileError(EsgledgerError, ValueError):
    """A targets file cannot be read or has an invalid entry."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.render("en"))


@dataclass(frozen=True)
class Target:
    code: str
    name_zh: str
    name_en: str
    indicator: str
    entity: str | None
    baseline_year: int
    target_year: int
    change_pct: Decimal
    baseline_value: Decimal | None
    source: str
    file: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def shipped_file() -> Path:
    return Path(str(resources.files("esgledger.library").joinpath("data", FILE_NAME)))


def _bad(path: Path, field: str, expected, found) -> TargetsFileError:
    return TargetsFileError(Problem("ESG-LIB-002", Location(file=str(path), field=field),
                                    {"field": field, "expected": expected, "found": found_text(found)}))


def read_targets(path: Path) -> list[Target]:
    """The targets of one file; :class:`TargetsFileError` names the file and the field."""
    try:
        text, bad = decode_utf8(path.read_bytes())
        if bad is not None:  # saved as GBK
            raise TargetsFileError(Problem("ESG-LIB-001", Location(file=str(path), line=bad.line),
                                           {"expected": expected_utf8("YAML"), "found": bad.found()}))
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TargetsFileError(Problem("ESG-LIB-001", Location(file=str(path)),
                                       {"expected": Bilingual("含 targets 列表的 YAML", "YAML with a list `targets`"),
                                        "found": reason(exc)}))
    items = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise _bad(path, "targets", Bilingual("目标的列表", "a list of targets"), items)
    out = []
    for i, t in enumerate(items):
        where = f"targets[{i}]"
        if not isinstance(t, dict):
            raise _bad(path, where, Bilingual("映射（键: 值）", "a mapping"), t)
        unknown = set(t) - set(FIELDS)
        if unknown:
            raise _bad(path, f"{where}.{sorted(unknown)[0]}", Bilingual("以下之一：" + "、".join(FIELDS), "one of " + ", ".join(FIELDS)),
                       sorted(unknown)[0])
        for req in ("code", "name", "indicator", "baseline_year", "target_year", "change_pct", "source"):
            if t.get(req) in (None, ""):
                raise _bad(path, f"{where}.{req}", Bilingual("一个值（该字段必填）", "a value"), t.get(req))
        name = t["name"]
        if not isinstance(name, dict) or not name.get("zh") or not name.get("en"):
            raise _bad(path, f"{where}.name", "{zh: ..., en: ...}", name)
        years = []
        for y in ("baseline_year", "target_year"):
            if not isinstance(t[y], int) or isinstance(t[y], bool):
                raise _bad(path, f"{where}.{y}", Bilingual("年份", "a year"), t[y])
            years.append(t[y])
        if years[0] >= years[1]:
            raise _bad(path, f"{where}.target_year", Bilingual(f"{years[0]} 之后的年份", f"a year after {years[0]}"), years[1])
        nums = {}
        for n in ("change_pct", "baseline_value"):
            v = t.get(n)
            if v is None:
                nums[n] = None
                continue
            try:
                d = Decimal(str(v)) if not isinstance(v, float) else None
            except InvalidOperation:
                d = None
            if d is None or not d.is_finite():
                raise _bad(path, f"{where}.{n}", Bilingual("加引号的十进制数（如 \"-13.5\"）", "a decimal number in quotes (e.g. \"-13.5\")"), v)
            nums[n] = d
        out.append(Target(str(t["code"]), str(name["zh"]), str(name["en"]), str(t["indicator"]),
                          t.get("entity"), years[0], years[1], nums["change_pct"], nums["baseline_value"],
                          str(t["source"]), str(path)))
    return out


def load_targets(workspace_dir: Path | None = None) -> list[Target]:
    """The shipped targets, with the workspace's ``targets.yaml`` added (same code replaces)."""
    by_code = {t.code: t for t in read_targets(shipped_file())}
    if workspace_dir is not None and (workspace_dir / FILE_NAME).is_file():
        for t in read_targets(workspace_dir / FILE_NAME):
            by_code[t.code] = t
    return list(by_code.values())


def targets_by_code(workspace_dir: Path | None = None) -> dict[str, Target]:
    return {t.code: t for t in load_targets(workspace_dir)}
