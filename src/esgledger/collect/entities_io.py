"""Entity tree files: YAML (nested, readable) and CSV (one row per membership).

CSV columns: ``code,name_zh,name_en,level,process_type,province,grid_region,parent,
equity_share,operational_control,valid_from,valid_to,attrs`` — an entity whose parent changed
over time has one row per membership (its other columns repeated); ``attrs`` is
``key=value;key=value``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

import yaml

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, found_text, reason
from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.tree import EntityTree
from esgledger.model.types import CELL_TECHNOLOGIES, GRID_REGIONS, LEVELS, PROCESS_TYPES, EntityRecord, Membership
from esgledger.library.loader import _LineLoader
from esgledger.calc.captive import ATTR as CAPTIVE_ATTR, check_attrs as check_captive_attrs

CSV_COLUMNS = ["code", "name_zh", "name_en", "level", "process_type", "province", "grid_region",
               "parent", "equity_share", "operational_control", "valid_from", "valid_to", "attrs"]
_TRUE = {"true", "yes", "1", "y", "是", "t"}
_FALSE = {"false", "no", "0", "n", "否", "f"}


def read_entities(path: str | Path, known: tuple[Iterable[EntityRecord], Iterable[Membership]] | None = None
                  ) -> tuple[EntityTree | None, ProblemList]:
    """Read and check an entity file (.yaml/.yml or .csv).

    ``known``: the entities and memberships already stored, when the file adds to a tree. A
    parent may then be a stored entity, and the tree checks (parents, cycles, overlapping
    validity) run on the file merged with them; the tree returned holds the file's entities
    only."""
    p = Path(path)
    problems = ProblemList()
    if not p.is_file():  # ESG-IMPORT-010 as a facts import says it, in the user's language
        problems.append(Problem("ESG-IMPORT-010", Location(file=str(p)), {
            "expected": Bilingual("主体文件（.yaml 或 .csv）", "an entity file (.yaml or .csv)"),
            "found": Bilingual("这是一个目录，不是文件", "a folder, not a file") if p.is_dir()
            else Bilingual("文件不存在", "no such file")}))
        return None, problems
    if p.suffix.lower() in (".yaml", ".yml"):
        rows = _rows_from_yaml(p, problems)
    else:
        rows = _rows_from_csv(p, problems)
    if problems.errors:
        return None, problems
    return _build(rows, problems, known)


def _rows_from_yaml(p: Path, problems: ProblemList) -> list[tuple[Location, dict[str, Any]]]:
    text, bad = read_utf8(p)
    if bad is not None:  # saved as GBK: the line, the column and the byte
        problems.append(Problem("ESG-ENT-007", Location(file=p.name, line=bad.line),
                                {"expected": expected_utf8("YAML"), "found": bad.found()}))
        return []
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("ESG-ENT-007", Location(file=p.name, line=mark.line + 1 if mark else None), {
            "expected": Bilingual("UTF-8 编码的 YAML", "YAML in UTF-8"),
            "found": reason(exc)}))
        return []
    items = doc.get("entities") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        problems.append(Problem("ESG-ENT-007", Location(file=p.name, line=1), {
            "expected": Bilingual("含 entities 列表的 YAML", "YAML with a list under 'entities:'"),
            "found": Bilingual("没有 entities 列表", "no list 'entities'")}))
        return []
    rows = []
    for item in items:
        if not isinstance(item, dict):
            problems.append(Problem("ESG-ENT-007", Location(file=p.name), {
                "expected": Bilingual("每个主体为一个映射（code、name…）", "each entity a mapping (code, name, …)"),
                "found": found_text(item)}))
            continue
        loc = Location(file=p.name, line=item.get("__line__"))
        name = item.get("name") or {}
        base = {"code": item.get("code"), "name_zh": name.get("zh"), "name_en": name.get("en"),
                "level": item.get("level"), "process_type": item.get("process_type"),
                "province": item.get("province"), "grid_region": item.get("grid_region"),
                "attrs": {k: str(v) for k, v in (item.get("attrs") or {}).items() if k != "__line__"}}
        mems = item.get("memberships")
        if mems:
            for m in mems:
                rows.append((Location(file=p.name, line=m.get("__line__")), {**base, **{
                    k: m.get(k) for k in ("parent", "equity_share", "operational_control",
                                          "valid_from", "valid_to")}}))
        else:
            rows.append((loc, {**base, **{k: item.get(k) for k in (
                "parent", "equity_share", "operational_control", "valid_from", "valid_to")}}))
    return rows


def _rows_from_csv(p: Path, problems: ProblemList) -> list[tuple[Location, dict[str, Any]]]:
    from esgledger.collect.tables import decode_text

    text, err = decode_text(p.read_bytes())
    if err:
        problems.append(Problem("ESG-IMPORT-012", Location(file=p.name), {"found": err}))
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("code", "name_zh", "name_en", "level", "process_type")
               if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem("ESG-IMPORT-001", Location(file=p.name, line=1),
                                {"expected": ", ".join(missing), "found": ", ".join(reader.fieldnames or [])}))
        return []
    rows = []
    for row in reader:
        attrs = {}
        loc = Location(file=p.name, line=reader.line_num)
        for part in (row.get("attrs") or "").split(";"):
            if not part.strip():
                continue
            k, eq, v = part.partition("=")
            if not eq or not k.strip():  # "k" alone would be dropped without a word
                problems.append(Problem("ESG-ENT-005", loc, {
                    "entity": (row.get("code") or "?").strip(), "field": "attrs",
                    "expected": Bilingual("键=值;键=值", "key=value;key=value"), "found": part.strip()}))
                continue
            attrs[k.strip()] = v.strip()
        rows.append((loc, {**row, "attrs": attrs}))
    return rows


def _date(v) -> dt.date | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v).strip())


def _build(rows, problems: ProblemList, known=None) -> tuple[EntityTree | None, ProblemList]:
    entities: dict[str, EntityRecord] = {}
    memberships: list[Membership] = []
    locations: dict[tuple[str, int], Location] = {}
    count: dict[str, int] = {}
    named: set[str] = set()  # every code the file defines, in a valid row or not
    for loc, r in rows:
        code = str(r.get("code") or "").strip()
        if code:
            named.add(code)

        def bad(fld, expected, found):
            problems.append(Problem("ESG-ENT-005", loc, {"entity": code or "?", "field": fld,
                                                          "expected": expected, "found": found}))
        if not code:
            bad("code", Bilingual("主体代码", "a code"), Bilingual("空", "empty"))
            continue
        rec_ok = True
        for fld, allowed in (("level", LEVELS), ("process_type", PROCESS_TYPES)):
            if r.get(fld) not in allowed:
                bad(fld, " | ".join(allowed), r.get(fld))
                rec_ok = False
        if r.get("grid_region") not in (None, "") and r.get("grid_region") not in GRID_REGIONS:
            bad("grid_region", " | ".join(GRID_REGIONS), r.get("grid_region"))
            rec_ok = False
        tech = (r.get("attrs") or {}).get("cell_technology")
        if tech not in (None, "") and tech not in CELL_TECHNOLOGIES:
            # the PFC and anode methods take their coefficients by cell technology (IPCC 2006
            # Table 4.14/4.15): an unknown one would only show up as a skipped method later
            bad("attrs.cell_technology", " | ".join(CELL_TECHNOLOGIES), tech)
            rec_ok = False
        for fld, lang_name in (("name_zh", Bilingual("中文名称", "a Chinese name")),
                               ("name_en", Bilingual("英文名称", "an English name"))):
            if not r.get(fld):  # each missing name on its own, never "None/None"
                bad(fld, lang_name, Bilingual("空", "empty"))
                rec_ok = False
        try:
            share = Decimal(str(r.get("equity_share"))) if r.get("equity_share") not in (None, "") else Decimal(100)
        except InvalidOperation:
            bad("equity_share", Bilingual("百分比数值", "a number of percent"), r.get("equity_share"))
            continue
        oc = r.get("operational_control")
        if oc in (None, ""):
            control = True
        elif isinstance(oc, bool):
            control = oc
        elif str(oc).strip().lower() in _TRUE:
            control = True
        elif str(oc).strip().lower() in _FALSE:
            control = False
        else:
            bad("operational_control", Bilingual("true/false（是/否）", "true/false"), oc)
            continue
        dates = {}
        for fld in ("valid_from", "valid_to"):  # each bad date named on its own, as written
            try:
                dates[fld] = _date(r.get(fld))
            except ValueError:
                bad(fld, Bilingual("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD"), str(r.get(fld)).strip())
        if len(dates) < 2:
            continue
        vf, vt = dates["valid_from"], dates["valid_to"]
        if not rec_ok:
            continue
        rec = EntityRecord(code, str(r["name_zh"]), str(r["name_en"]), r["level"], r["process_type"],
                           r.get("province") or None, r.get("grid_region") or None, dict(r.get("attrs") or {}))
        if code in entities and entities[code] != rec:
            diff = next(f for f in ("name_zh", "name_en", "level", "process_type", "province",
                                    "grid_region", "attrs") if getattr(rec, f) != getattr(entities[code], f))
            problems.append(Problem("ESG-ENT-006", loc, {"entity": code, "field": diff}))
            continue
        entities[code] = rec
        parent = str(r.get("parent")).strip() if r.get("parent") not in (None, "") else None
        i = count.get(code, 0)
        count[code] = i + 1
        locations[(code, i)] = loc
        if parent is not None or i == 0:
            memberships.append(Membership(code, parent, share, control, vf, vt))
    # the tree checks (parents, shares, overlaps, cycles) run on the rows that are valid, in the
    # same pass as the field checks: one run names every error of the file (A2-L3)
    invalid = named - set(entities)
    if known is None:
        problems.extend(_captive_plants(entities, entities, locations, invalid))
        tree, more = EntityTree.build(entities.values(), memberships, locations, invalid)
        problems.extend(more)
        return (None if problems.errors else tree), problems
    stored_e, stored_m = known
    merged_e = {e.code: e for e in stored_e}
    merged_e.update(entities)  # the file's version of an entity replaces the stored one
    problems.extend(_captive_plants(merged_e, entities, locations, invalid))
    merged_m = [m for m in stored_m if m.entity not in entities] + memberships
    tree, more = EntityTree.build(merged_e.values(), merged_m, locations, invalid)
    problems.extend(more)
    if tree is None or problems.errors:
        return None, problems
    return EntityTree(dict(entities), {code: list(ms) for code, ms in tree.memberships.items() if code in entities}), problems


def _captive_plants(tree_entities: dict[str, EntityRecord], in_file: dict[str, EntityRecord],
                    locations: dict[tuple[str, int], Location], invalid: set[str]) -> list[Problem]:
    """ESG-ENT-008: an ``attrs.captive_plant`` (the plant whose factor per MWh the entity's
    captive electricity takes, calc/captive.py) that names no power plant of the tree as it
    will be: the file's entities, and stored ones naming an entity the file redefines."""
    checked = [c for c, e in tree_entities.items()
               if c in in_file or str(e.attrs.get(CAPTIVE_ATTR) or "").strip() in in_file]
    return check_captive_attrs(tree_entities, checked,
                               lambda c: locations.get((c, 0)) or Location(field=c), invalid)


def write_entities_yaml(tree: EntityTree) -> str:
    items = []
    for code, e in tree.entities.items():
        item: dict[str, Any] = {"code": code, "name": {"zh": e.name_zh, "en": e.name_en},
                                "level": e.level, "process_type": e.process_type}
        if e.province:
            item["province"] = e.province
        if e.grid_region:
            item["grid_region"] = e.grid_region
        ms = tree.memberships.get(code, [])
        item["memberships"] = [{
            "parent": m.parent, "equity_share": str(m.equity_share),
            "operational_control": m.operational_control,
            **({"valid_from": m.valid_from.isoformat()} if m.valid_from else {}),
            **({"valid_to": m.valid_to.isoformat()} if m.valid_to else {})} for m in ms if m.parent]
        if not item["memberships"]:
            del item["memberships"]
        if e.attrs:
            item["attrs"] = dict(e.attrs)
        items.append(item)
    return yaml.safe_dump({"entities": items}, allow_unicode=True, sort_keys=False)


def write_entities_csv(tree: EntityTree) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for code, e in tree.entities.items():
        attrs = ";".join(f"{k}={v}" for k, v in e.attrs.items())
        ms = tree.memberships.get(code) or [Membership(code, None)]
        for m in ms:
            w.writerow([code, e.name_zh, e.name_en, e.level, e.process_type, e.province or "",
                        e.grid_region or "", m.parent or "", m.equity_share,
                        "true" if m.operational_control else "false",
                        m.valid_from.isoformat() if m.valid_from else "",
                        m.valid_to.isoformat() if m.valid_to else "", attrs])
    return out.getvalue()
