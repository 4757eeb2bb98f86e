"""Submissions: a filled workbook, a CSV or an API call in; draft or submitted facts out.

Everything is checked before anything is written, and a submission lands in one transaction
or not at all. Errors name the place (``sheet!cell``, CSV line or API field), the indicator,
the rule code, what was expected and what was found. A report reads in one language, the
reader's (the desk's: ``--lang``, else the workspace's ``workspace.lang``), whatever the
workbook's: its problems carry both languages and are rendered in the report's ``lang``.

Each value is checked on its own (:mod:`esgledger.collect.values`: errors), then the entity's
values together (:mod:`esgledger.collect.findings`: warnings, each of which needs a comment
before the entity can be submitted, ESG-COLLECT-007).

Re-importing appends a revision only where the value, unit, comment or status changes; a
blank cell never withdraws a value already given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.engine import Connection

from esgledger.collect.campaign import (Campaign, Desk, assigned_indicators, current_facts,
                                        entity_status, get_campaign, link_batch, next_step, open_now,
                                        reference_values, set_status, statuses_named)
from esgledger.collect.filled import Cell, OpenedWorkbook, open_workbook, read_slots
# a value's checks and the entity's warnings: importable from here, as before the split
from esgledger.collect.findings import Finding, find_warnings
from esgledger.collect.layout import Layout, layout_for
from esgledger.collect.templates import locked_cells
from esgledger.collect.values import check_value, indicator_label, number_in, number_text
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, near_miss
from esgledger.model.period import Period, PeriodError
from esgledger.model.types import Dims, FactRecord
from esgledger.model.units import plain, unit_name
from esgledger.store import schema_collect as C
from esgledger.store.ledger import NewFact

IMPORTABLE = ("not_started", "in_progress", "returned", "submitted")
SUBMITTABLE = ("not_started", "in_progress", "returned")  # not started: values may come from elsewhere


@dataclass(frozen=True)
class Entry:
    """One checked value of a submission, in the indicator's unit."""

    entity: str
    indicator: str
    dims: str
    period: str
    value: str
    unit: str | None
    location: Location
    where: str                       # stored as the fact's location: Sheet!F12, line 7, values[3]
    comment: str | None = None
    value_entered: str | None = None
    unit_entered: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator, self.dims, self.period)


@dataclass
class SubmissionReport:
    source: str
    lang: str = "en"
    campaign: Campaign | None = None
    entities: list[str] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    written: bool = False
    submitted: bool = False
    batch_id: int | None = None
    changed: int = 0
    unchanged: int = 0
    status: dict[str, tuple[str, int]] = field(default_factory=dict)
    _latest: dict[tuple, int] = field(default_factory=dict, repr=False)  # revisions read under the lock
    # last year's approved values of an entity, read once for a workbook's locked cells and its
    # warnings (the lock guards this year's values; last year's approved ones are settled)
    _references: dict[str, dict] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    @property
    def unexplained(self) -> list[Finding]:
        return [f for f in self.findings if not f.explained]

    def flat(self) -> list[tuple[str, str]]:
        """``[(location, code), ...]`` of the errors and warnings."""
        return self.problems.flat()

    def as_dict(self) -> dict:
        return {"source": self.source, "campaign": self.campaign.id if self.campaign else None,
                "entities": self.entities, "written": self.written, "submitted": self.submitted,
                "batch": self.batch_id, "values": len(self.entries), "changed": self.changed,
                "unchanged": self.unchanged, "errors": len(self.problems.errors),
                "warnings": len(self.problems.warnings),
                "unexplained_warnings": len(self.unexplained),
                "status": {e: s for e, (s, _v) in self.status.items()},
                "problems": [p.as_dict(self.lang) for p in self.problems]}


class _Rollback(Exception):
    pass


# -- workbooks ------------------------------------------------------------------------------
def _campaign_by_id(desk: Desk, cid: int) -> Campaign | None:
    from esgledger.collect.campaign import _campaign

    with desk.store.reading() as conn:
        row = conn.execute(select(C.campaign).where(C.campaign.c.id == cid)).first()
    return _campaign(row) if row else None


def import_workbook(desk: Desk, path: str | Path, *, campaign: Campaign | None = None,
                    entity: str | None = None, dry_run: bool = False,
                    submit: bool = False) -> SubmissionReport:
    """Check a filled workbook and, if it has no error, write its values (one transaction).

    ``campaign`` and ``entity`` are what the caller expects the workbook to be for; by default
    the campaign and entity it names (which must then be open, and the user's to write)."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return import_csv(desk, path, campaign=campaign, entity=entity, dry_run=dry_run, submit=submit)
    rep = SubmissionReport(path.name, desk.lang)
    opened, problems = open_workbook(path)
    rep.problems.extend(problems)
    if opened is None:
        return rep
    try:
        layout = _check_meta(desk, opened, rep, campaign, entity)
        if layout is None:
            return rep
        e = desk.tree.entities.get(layout.entity)
        rep._references[layout.entity] = reference_values(desk, rep.campaign, layout.entity)
        locked = locked_cells(layout, desk.library, entity_name=e.name(layout.lang) if e else layout.entity,
                              references=rep._references[layout.entity])
        cells, problems = read_slots(opened, layout, locked)
        rep.problems.extend(problems)
    finally:
        opened.close()
    ent = layout.entity
    rep.entities = [ent]
    for cell in cells:
        entry, problem = _entry_from_cell(desk, ent, cell, path.name, rep.lang)
        if problem is not None:
            rep.problems.append(problem)
        elif entry is not None:
            rep.entries.append(entry)
    return _apply(desk, rep, kind="import", source=str(path), dry_run=dry_run, submit=submit)


def _check_meta(desk: Desk, opened: OpenedWorkbook, rep: SubmissionReport,
                campaign: Campaign | None, entity: str | None) -> Layout | None:
    meta, name = opened.meta, opened.name
    cell = {k: f"B{i}" for i, k in enumerate(("format", "version", "campaign", "period", "entity",
                                               "lang", "checksum"), start=1)}

    def loc(key):
        return Location(file=name, sheet="_esgledger", cell=cell[key])

    try:
        cid = int(meta.get("campaign", ""))
    except ValueError:
        rep.problems.append(Problem("ESG-TPL-001", loc("campaign"), {"found": Bilingual(
            f"收集任务 {meta.get('campaign')!r}", f"campaign {meta.get('campaign')!r}")}))
        return None
    theirs = _campaign_by_id(desk, cid)
    shown = Bilingual(f"收集任务 #{cid}（{meta.get('period', '?')}）", f"campaign #{cid} ({meta.get('period', '?')})")
    if theirs is None or theirs.period != meta.get("period"):
        rep.problems.append(Problem("ESG-TPL-003", loc("campaign"), {
            "found": Bilingual(f"{shown.zh}（本工作区中没有）", f"{shown.en} — unknown in this workspace"),
            "expected": campaign.named() if campaign else Bilingual("本工作区的收集任务", "a campaign of this workspace")}))
        return None
    if campaign is not None and campaign.id != cid:
        rep.problems.append(Problem("ESG-TPL-003", loc("campaign"), {"found": shown, "expected": campaign.named()}))
        return None
    if campaign is None:
        campaign = theirs
        if campaign.status != "open":
            rep.problems.append(Problem("ESG-COLLECT-010", loc("campaign"), {
                "found": Bilingual(f"该工作簿属于{shown.zh}，该任务已关闭", f"the workbook belongs to {shown.en}, which is closed"),
                "open": open_now(desk)}))
            return None
    rep.campaign = campaign
    ent = meta.get("entity", "")
    if entity is not None and ent != entity:
        rep.problems.append(Problem("ESG-TPL-004", loc("entity"), {"found": ent, "expected": entity}))
        return None
    with desk.store.reading() as conn:
        known = entity_status(conn, campaign.id, ent) is not None
    if not known:
        rep.problems.append(Problem("ESG-TPL-004", loc("entity"), {
            "found": ent, "expected": Bilingual(f"{campaign.named().zh} 的主体", f"an entity of {campaign.label()}")}))
        return None
    desk.store.require("write", ent, target=f"{ent} (workbook {name})")
    layout = layout_for(desk, campaign, ent, meta.get("lang", "en"))
    if meta.get("checksum") != layout.checksum(campaign.secret):
        rep.problems.append(Problem("ESG-TPL-005", loc("checksum"), {
            "found": Bilingual("校验和不符", "checksum mismatch"), "expected": campaign.named()}))
        return None
    return layout


def _entry_from_cell(desk: Desk, entity: str, cell: Cell, fname: str, lang: str
                     ) -> tuple[Entry | None, Problem | None]:
    sheet, _, ref = cell.ref.partition("!")
    loc = Location(file=fname, sheet=sheet, cell=ref)
    ind = desk.library[cell.slot.indicator]
    raw = cell.value
    if cell.percent and ind.value_type == "number":
        # "99.7%" typed into a cell: Excel keeps 0.997 and formats the cell as a percentage.
        # The value is what the cell shows: 99.7 in a % indicator; in any other unit it is refused
        # (ESG-COLLECT-020), as no reading of "99.7%" gives tonnes or people.
        stored = number_text(raw)
        shown = plain(Decimal(stored) * 100)
        if ind.unit != "%":
            return None, Problem("ESG-COLLECT-020", loc, {"indicator": indicator_label(ind),
                                                          "found": f"{shown}%", "stored": stored,
                                                          "expected": number_in(ind.unit)})
        raw = Decimal(shown)
    text, problem = check_value(ind, raw, loc, lang)
    if problem is not None:
        return None, problem
    return Entry(entity, ind.code, cell.slot.dims, cell.period, text, ind.unit, loc, cell.ref,
                 cell.comment, number_text(raw) if ind.value_type == "number" else text,
                 ind.unit), None


# -- CSV (the interchange format) ------------------------------------------------------------
def import_csv(desk: Desk, path: str | Path, *, campaign: Campaign | None = None,
               entity: str | None = None, dry_run: bool = False, submit: bool = False) -> SubmissionReport:
    """A submission in the interchange format (CSV in UTF-8 or GBK, or a plain XLSX sheet):
    every row must be a value asked of its entity in the campaign."""
    from esgledger.collect.rows import check_table
    from esgledger.collect.tables import read_table

    path = Path(path)
    rep = SubmissionReport(path.name, desk.lang)
    table, problems = read_table(path)
    rep.problems.extend(problems)
    if table is None:
        return rep
    idx: dict[str, str] = {}
    for code, e in desk.tree.entities.items():
        idx.setdefault(e.name_en, code)
        idx.setdefault(e.name_zh, code)
        idx[code] = code
    # the status the submission gives (an export's status cells, if any, are replaced: ESG-IMPORT-022)
    checked = check_table(table, desk.library, idx, status="submitted" if submit else "draft")
    rep.problems.extend(checked.problems)
    if campaign is None:
        years = sorted({str(Period.parse(f.period).year_period()) for f in checked.facts})
        try:
            campaign = get_campaign(desk, years[0] if len(years) == 1 else None)
        except Exception as exc:  # ProblemsError: no (single) open campaign
            rep.problems.extend(getattr(exc, "problems", []))
            return rep
    rep.campaign = campaign
    periods = set(campaign.periods())
    assigned: dict[str, set[str]] = {}
    for f in checked.facts:
        loc = _row_location(table, f.location)
        if entity is not None and f.entity != entity:
            rep.problems.append(Problem("ESG-TPL-004", loc, {"found": f.entity, "expected": entity}))
            continue
        if f.entity not in assigned:
            desk.store.require("write", f.entity, target=f"{f.entity} ({path.name})")
            assigned[f.entity] = set(assigned_indicators(desk, campaign, f.entity))
        ind = desk.library[f.indicator]
        monthly = ind.frequency == "monthly"
        if f.indicator not in assigned[f.entity] or f.period not in periods or \
                (monthly != ("-" in f.period)):
            rep.problems.append(Problem("ESG-COLLECT-012", loc, {
                "indicator": f"{f.indicator} {f.period}", "entity": f.entity, "expected": campaign.named()}))
            continue
        text, problem = check_value(ind, f.value, loc, rep.lang)
        if problem is not None:
            rep.problems.append(problem)
            continue
        rep.entries.append(Entry(f.entity, f.indicator, f.dims, f.period, text, f.unit, loc,
                                 f.location or "", f.comment, f.value_entered, f.unit_entered))
    rep.entities = sorted({e.entity for e in rep.entries})
    return _apply(desk, rep, kind="import", source=str(path), dry_run=dry_run, submit=submit)


def _row_location(table, where: str | None) -> Location:
    if where and "!" in where:
        sheet, _, cell = where.partition("!")
        return Location(file=table.name, sheet=sheet, cell=cell)
    try:
        return Location(file=table.name, line=int(where or 0))
    except ValueError:
        return Location(file=table.name, field=where)


# -- the Python API ---------------------------------------------------------------------------
def submit_values(desk: Desk, campaign: Campaign, entity: str, values: Iterable[Mapping], *,
                  dry_run: bool = False, submit: bool = False, source: str = "api") -> SubmissionReport:
    """Values of one entity from a program: each a mapping with ``indicator`` and ``value`` and
    optionally ``dims`` (``"gender=female"`` or a mapping), ``period`` (default: the
    campaign's year; a month for monthly indicators), ``unit`` (converted to the indicator's)
    and ``comment``. Problems are located at ``values[i].field``.

    >>> rep = submit_values(desk, c, "TLYX", [{"indicator": "employees", "value": "3000"}])  # doctest: +SKIP
    """
    from esgledger.collect.notation import _conversion, dimension_names, dimensions_text

    rep = SubmissionReport(source, desk.lang, campaign, [entity])
    desk.store.require("write", entity, target=f"{entity} ({source})")
    assigned = set(assigned_indicators(desk, campaign, entity))
    periods = set(campaign.periods())
    seen: dict[tuple, int] = {}
    for i, v in enumerate(values):
        def loc(fld: str) -> Location:
            return Location(file=source, field=f"values[{i}].{fld}")

        code = str(v.get("indicator", ""))
        ind = desk.library.get(code)
        if ind is None:
            rep.problems.append(Problem("ESG-IMPORT-004", loc("indicator"), {
                "found": code, "near": near_miss(code, {c: c for c in desk.library.indicators})}))
            continue
        try:
            period = str(Period.parse(v.get("period") or campaign.period))
        except PeriodError:
            rep.problems.append(Problem("ESG-IMPORT-005", loc("period"), {"found": v.get("period")}))
            continue
        monthly = ind.frequency == "monthly"
        if code not in assigned or period not in periods or monthly != ("-" in period):
            rep.problems.append(Problem("ESG-COLLECT-012", loc("indicator"), {
                "indicator": f"{code} {period}", "entity": entity, "expected": campaign.named()}))
            continue
        dims_in = v.get("dims") or ""
        dims_map = dict(dims_in) if isinstance(dims_in, Mapping) else Dims.parse(str(dims_in)).as_dict()
        parts, bad = {}, False
        names = dimension_names(desk.library)
        for d, m in dims_map.items():
            d = names.get(str(d).strip(), names.get(str(d).strip().lower(), d))  # 性别 → gender
            member = desk.library.resolve_member(d, m) if d in ind.dimensions else None
            if member is not None and d in ind.members and member not in ind.members[d]:
                rep.problems.append(Problem("ESG-IMPORT-011", loc("dims"), {  # not one it is broken down by
                    "indicator": code, "found": f"{d}={m}",
                    "expected": ", ".join(f"{d}={c.code}" for c in desk.library.members_of(code, d))}))
                bad = True
                continue
            if member is None and d in ind.dimensions:  # the dimension is taken, the member unknown
                rep.problems.append(Problem("ESG-IMPORT-011", loc("dims"), {
                    "indicator": code, "found": Bilingual(f"{d}={m}（{d} 没有成员“{m}”）",
                                                          f"{d}={m} ({d} has no member {m!r})"),
                    "expected": desk.library.members_text(code, d)}))
                bad = True
                continue
            if member is None:
                rep.problems.append(Problem("ESG-IMPORT-011", loc("dims"), {
                    "indicator": code, "found": f"{d}={m}", "expected": dimensions_text(desk.library, ind.dimensions)}))
                bad = True
                continue
            parts[d] = member
        if bad:
            continue
        dims = Dims(parts).key
        raw = v.get("value")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            rep.problems.append(Problem("ESG-IMPORT-016", loc("value"), {"field": "value"}))
            continue
        unit_in = v.get("unit")
        text, problem = check_value(ind, raw, loc("value"), rep.lang)
        entered, entered_unit = number_text(raw) or text, str(unit_in) if unit_in else ind.unit
        if problem is None and text is not None and unit_in and ind.unit and unit_in != ind.unit:
            conv = _conversion(str(unit_in), ind.unit)
            if isinstance(conv, str):
                problem = Problem("ESG-IMPORT-008" if conv == "unknown" else "ESG-IMPORT-007", loc("unit"),
                                  {"indicator": code, "found": unit_name(unit_in, typed=True), "expected": unit_name(ind.unit)})
            else:  # converted to the indicator's unit; the value as entered is kept beside it
                entered = text
                text, problem = check_value(ind, format(Decimal(text) * conv[1], "f"), loc("value"), rep.lang)
        if problem is not None:
            rep.problems.append(problem)
            continue
        key = (code, dims, period)
        if key in seen:
            rep.problems.append(Problem("ESG-IMPORT-009", loc("indicator"), {
                "found": f"{code} {period} {dims}".strip(), "first": f"values[{seen[key]}]"}))
            continue
        seen[key] = i
        rep.entries.append(Entry(entity, code, dims, period, text, ind.unit, loc("value"),
                                 f"values[{i}]", v.get("comment"), entered, entered_unit))
    return _apply(desk, rep, kind="api", source=source, dry_run=dry_run, submit=submit)


def blank_warning(desk: Desk, campaign: Campaign, entity: str, action: str) -> Problem | None:
    """ESG-COLLECT-019 when most indicators asked of ``entity`` have no value (more blank
    than filled, as ``collect status`` counts them): submitting or approving (``action``:
    ``submit`` or ``approve``) goes ahead, but nobody should do it without seeing it."""
    from esgledger.collect.campaign import status_table

    row = next((r for r in status_table(desk, campaign) if r.entity == entity), None)
    if row is None or row.assigned == 0 or row.filled * 2 >= row.assigned:
        return None
    done = {"submit": Bilingual("提交", "the submission"), "approve": Bilingual("批准", "the approval")}[action]
    return Problem("ESG-COLLECT-019", Location(field=entity), {
        "entity": entity, "filled": row.filled, "assigned": row.assigned,
        "blank": row.assigned - row.filled, "action": done})


def submit_entity(desk: Desk, campaign: Campaign, entity: str) -> SubmissionReport:
    """Submit an entity for review: every warning must be explained (ESG-COLLECT-007)."""
    rep = SubmissionReport(f"submit {entity}", desk.lang, campaign, [entity])
    desk.store.require("submit", entity)
    return _apply(desk, rep, kind="api", source=f"submit {entity}", dry_run=False, submit=True)


# -- planning and writing ------------------------------------------------------------------
def _fact_of(e: Entry, status: str) -> FactRecord:
    return FactRecord(e.entity, e.indicator, e.period, e.dims, e.value, e.unit, status=status,
                      location=e.where, comment=e.comment)


def _plan(desk: Desk, conn: Connection, rep: SubmissionReport, entity: str, entries: list[Entry],
          submit: bool) -> tuple[list[NewFact], str | None, int | None]:
    """What to append for ``entity``, and its status and version now (or None on error)."""
    campaign = rep.campaign
    cur_status = entity_status(conn, campaign.id, entity)
    if cur_status is None:
        rep.problems.append(Problem("ESG-COLLECT-012", Location(field="entity"), {
            "indicator": "-", "entity": entity, "expected": campaign.named()}))
        return [], None, None
    status, version = cur_status
    allowed = SUBMITTABLE + ("submitted",) if submit and not entries else IMPORTABLE
    if status not in allowed:
        rep.problems.append(Problem("ESG-COLLECT-008", Location(field="status"), {
            "entity": entity, "found": statuses_named([status]), "expected": statuses_named(allowed),
            "next": next_step(entity, status, allowed)}))
        return [], status, version
    target = "submitted" if submit else "draft"
    current = current_facts(conn, entity, campaign.periods())
    merged = dict(current)
    place: dict[tuple[str, str, str], Location] = {}
    out: list[NewFact] = []
    for e in entries:
        merged[e.key] = _fact_of(e, target)
        place[e.key] = e.location
        cur = current.get(e.key)
        if cur is not None and cur.value == e.value and (cur.comment or None) == (e.comment or None) \
                and cur.status == target and cur.unit == e.unit:
            rep.unchanged += 1
            continue
        out.append(NewFact(entity, e.indicator, e.period, e.dims, e.value, e.unit, "own", target,
                           e.value_entered, e.unit_entered, e.where, e.comment))
    if submit:
        given = {e.key for e in entries}
        for key, f in current.items():
            if key not in given and f.status in ("draft", "rejected"):
                out.append(NewFact(entity, f.indicator, f.period, f.dims, f.value, f.unit, "own",
                                   "submitted", f.value_entered, f.unit_entered, f.location, f.comment))
    refs = rep._references.get(entity)
    if refs is None:
        refs = reference_values(desk, campaign, entity, conn)
    findings = find_warnings(desk, entity, merged, refs, place, rep.lang)
    rep.findings.extend(findings)
    rep.problems.extend(fd.problem for fd in findings)
    if submit:
        if not merged:
            rep.problems.append(Problem("ESG-COLLECT-016", Location(field="entity"), {
                "entity": entity, "expected": campaign.named()}))
        for fd in findings:
            if not fd.explained:
                rep.problems.append(Problem("ESG-COLLECT-007", fd.problem.location, {
                    "indicator": ", ".join(sorted(fd.indicators)), "entity": entity, "found": fd.problem.code}))
    rep.changed += len(out)
    rep._latest.update({(entity, k[0], k[2], k[1], "own"): f.revision for k, f in current.items()})
    return out, status, version


def _apply(desk: Desk, rep: SubmissionReport, *, kind: str, source: str, dry_run: bool,
           submit: bool) -> SubmissionReport:
    if rep.problems.errors or rep.campaign is None:
        return rep
    by_entity: dict[str, list[Entry]] = {e: [] for e in rep.entities}
    for e in rep.entries:
        by_entity.setdefault(e.entity, []).append(e)
    if not by_entity:
        from esgledger.model.errors import Problem as P

        rep.problems.append(P("ESG-IMPORT-002", Location(file=rep.source)))
        return rep
    campaign = rep.campaign
    if dry_run:
        with desk.store.reading() as conn:
            for ent, entries in by_entity.items():
                _plan(desk, conn, rep, ent, entries, submit)
        return rep
    try:
        with desk.store.writing() as tx:
            plans = {}
            for ent, entries in by_entity.items():
                plans[ent] = _plan(desk, tx.conn, rep, ent, entries, submit)
            if rep.problems.errors:
                raise _Rollback
            facts = [f for out, _s, _v in plans.values() for f in out]
            batch_id = None
            if facts:
                note = "submission" + (" and submit" if submit else "")
                batch_id, _ = tx.append(facts, kind=kind, source=source, note=note, return_ids=False,
                                        latest=rep._latest)
                link_batch(tx.conn, campaign, batch_id)
            moved = False
            for ent, (out, status, version) in plans.items():
                new = "submitted" if submit else ("in_progress" if out or status == "not_started" else status)
                if new != status:
                    moved = True
                    problems, version = set_status(tx.conn, campaign, ent, new, allowed_from=(status,),
                                                   author=desk.user, batch_id=batch_id,
                                                   note=f"{kind} {Path(source).name}")
                    if problems:
                        rep.problems.extend(problems)
                        raise _Rollback
                rep.status[ent] = (new, version)
    except _Rollback:
        return rep
    rep.batch_id = batch_id
    rep.written = bool(facts) or moved
    rep.submitted = submit
    return rep


__all__ = ["Entry", "Finding", "SubmissionReport", "blank_warning", "check_value", "find_warnings", "import_csv",
           "import_workbook", "indicator_label", "number_text", "submit_entity", "submit_values"]
