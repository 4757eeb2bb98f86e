"""The rows of an interchange table checked: :func:`check_table` makes each row a fact or
reports each of its problems at its place (file, line or sheet!cell, column); an import that
lands gets its warnings from :func:`notices`. The table is read by
:mod:`esgledger.collect.tables`; this module writes nothing.
"""
from __future__ import annotations

import csv
import operator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable

from esgledger.collect.notation import (_by_name, _conversion, _number, category_choices, dimension_names,
                                        dimensions_text)
from esgledger.collect.tables import CALCULATED, REQUIRED, _Table, header_columns
from esgledger.library.loader import Library
from esgledger.model.errors import EMPTY_TREE, Bilingual, Location, Problem, ProblemList, near_miss, reason
from esgledger.model.period import Period, PeriodError
from esgledger.model.types import STATUSES, WITHDRAWN, category_value
from esgledger.model.units import CEILING, ceiling_text, range_text, unit_name
from esgledger.store.ledger import NewFact, gc_paused


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    problems: ProblemList = field(default_factory=ProblemList)
    facts: list[NewFact] = field(default_factory=list)
    written: bool = False
    batch_id: int | None = None
    skipped: int = 0  # rows of an export with the status calculated, left out (ESG-IMPORT-021)

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    def as_dict(self, lang: str = "en") -> dict:
        return {"file": self.file, "rows": self.rows, "written": self.written,
                "batch": self.batch_id, "facts": len(self.facts), "skipped": self.skipped,
                "errors": len(self.problems.errors),
                "warnings": len(self.problems.warnings),
                "problems": [p.as_dict(lang) for p in self.problems]}


_new_tuple = tuple.__new__  # NewFact(...) without the Python-level __new__: a C call per row


def _the_value(text: str) -> Bilingual:
    """The row's value column as ESG-IMPORT-020 quotes it."""
    return Bilingual(f"{text}（value 列）", f"{text} (value)")


def check_table(table: _Table, library: Library, entity_index: dict[str, str], *,
                status: str | None = None, sink: Callable[[list], None] | None = None,
                chunk: int = 50_000, repeats: bool = True) -> ImportReport:
    """Check every row; return the facts to write and every problem found.

    ``status`` is the status of every new fact. Without it, a row's ``status`` cell (a file
    exported by ``facts export``) is its fact's status, and ``submitted`` where there is none.
    Given, it replaces the cells, and the report says how many it replaced (ESG-IMPORT-022).
    A row whose status cell is ``calculated`` is skipped whatever the status, and counted
    (ESG-IMPORT-021): calculated values are computed again by ``calc run``, never entered.
    A row's ``value_entered``/``unit_entered`` cells (an export's) are kept as its entered value
    and unit when they give its value (ESG-IMPORT-020 when they do not).

    With ``sink``, the accepted facts go to it in lists, one per ``chunk`` rows read, in file
    order, and the report's ``facts`` stays empty: a large import checked in one process while
    another writes (:mod:`esgledger.collect.pipeline`). The problems are the same either way.
    ``repeats=False`` leaves finding a key given twice to the caller (a pipelined import: the
    store's fact key refuses the second, and the import is then checked again with repeats);
    a file with a ``basis`` column keeps the check, as the store's key tells bases apart.

    Each row goes through :func:`check_row` (every check, every problem with its place) unless
    its entity, period, indicator, unit and dimension texts are exactly those of a row already
    accepted; then only its value is checked here (the fast path a large import takes for almost
    every row). A row the fast path does not accept as it stands goes through ``check_row``, so
    the facts and problems are the same either way."""
    rep = ImportReport(table.name)
    # the cap on listed problems is interchange.MAX_PROBLEMS, read at each call: the CLI reads it
    # there to say whether the list was cut (imported here, as interchange imports this module)
    from esgledger.collect import interchange
    max_problems = interchange.MAX_PROBLEMS
    problems = rep.problems
    dim_names = dimension_names(library)
    columns = header_columns(table, dim_names, problems)
    if columns is None:
        return rep
    cols, dim_cols, export_cols = columns
    # cells past the header, or under a blank heading: a value under no column would be dropped
    nhead = len(table.header)
    blank_cols = [i for i, h in enumerate(table.header) if not h.strip()]

    def stray(row) -> int | None:
        """The first cell with something in it under no heading, or None."""
        for i in blank_cols:
            if i < len(row) and row[i].strip():
                return i
        for i in range(nhead, len(row)):
            if row[i].strip():
                return i
        return None
    if status is not None and status not in STATUSES:
        problems.append(Problem("ESG-IMPORT-017", Location(field="status"),
                                {"found": status, "expected": ", ".join(STATUSES)}))
        return rep
    ce, ci, cp, cv, cu = (cols[c] for c in REQUIRED)
    cc = cols.get("comment")
    cd = cols.get("dims")  # an export's dims column: gender=female;age_band=lt30
    cb, cs = export_cols.get("basis"), export_cols.get("status")
    cve, cue = export_cols.get("value_entered"), export_cols.get("unit_entered")
    entered_cols = cve is not None or cue is not None
    repeats = repeats or cb is not None
    width = max([ce, ci, cp, cv, cu, cc or 0, cd or 0, cb or 0, cs or 0, cve or 0, cue or 0]
                + [i for _, i in dim_cols]) + 1
    default_status = status or "submitted"
    skipped: list[int] = []     # rows of calculated values (their row numbers)
    replaced: dict[str, int] = {}  # status cells the ``status`` given replaced: cell → rows

    indicators = library.indicators
    ind_cache: dict[str, object] = {}
    period_cache: dict[str, str | None] = {}
    unit_cache: dict[tuple[str, str], tuple[str, Decimal] | str] = {}
    member_cache: dict[tuple[str, str], str | None] = {}
    # suppliers that name the materials they supply (a member's within, dimensions.yaml): a row
    # pairing one with another material is refused
    narrowed = {d.code: d.within for d in library.dimensions.values()
                if d.within is not None and any(m.within is not None for m in d.members)}
    member_within = {(d, m.code): m.within for d in narrowed for m in library.dimensions[d].members}
    bounds_cache: dict[str, tuple] = {}
    seen: dict[tuple, int] = {}
    facts = rep.facts
    add = facts.append
    loc = table.location
    sheet = table.sheet

    # the fast path's memory of accepted rows: cell text as found → what it was accepted as
    fast_entity: dict[str, str] = {}
    fast_period: dict[str, str] = {}
    fast_plan: dict[tuple, tuple] = {}  # (indicator, unit, dimension cells) → see accept()
    # what decides a row's plan: its indicator, unit and dimension texts (and, from an export,
    # its dims, basis and status cells)
    plan_key = operator.itemgetter(ci, cu, *(i for _, i in dim_cols), *(i for i in (cd, cb, cs) if i is not None))

    names_of_indicators: dict[str, str] = {}

    def indicator_names() -> dict[str, str]:
        """Every indicator's code and zh/en names → its code (made at the first unknown one)."""
        if not names_of_indicators:
            for code, i in indicators.items():
                names_of_indicators.update({i.name.zh: code, i.name.en: code, code: code})
        return names_of_indicators

    def problem(code, rownum, col, colname, **params):
        if len(problems) < max_problems:
            problems.append(Problem(code, loc(rownum, col, colname), params))

    def conversion(rownum, col, colname, unit_text: str, ind):
        """(unit, factor) from a unit cell ("" = the indicator's unit) to the indicator's unit,
        remembered per (text, indicator); None after ESG-IMPORT-008 (unknown) or -007 (does
        not fit) at that cell."""
        conv = unit_cache.get((unit_text, ind.code))
        if conv is None:
            conv = _conversion(unit_text or ind.unit, ind.unit)
            unit_cache[(unit_text, ind.code)] = conv
        if isinstance(conv, str):
            code = "ESG-IMPORT-008" if conv == "unknown" else "ESG-IMPORT-007"
            problem(code, rownum, col, colname, indicator=ind.code, found=unit_name(unit_text, typed=True),
                    expected=unit_name(ind.unit))
            return None
        return conv

    def bounds(ind) -> tuple:
        b = bounds_cache.get(ind.code)
        if b is None:
            v = ind.validation
            # the fast path's bounds take the ceiling (units.CEILING) too: a value past it
            # goes to check_row, which says which bound it passed
            lo = -CEILING if v.min is None else max(Decimal(str(v.min)), -CEILING)
            hi = CEILING if v.max is None else min(Decimal(str(v.max)), CEILING)
            b = bounds_cache[ind.code] = (lo, hi, bool(v.integer))
        return b

    def accept(row, entity, period, ind, dims, unit_text, factor, row_status) -> None:
        """Remember an accepted row's texts for the fast path."""
        fast_entity[row[ce]] = entity
        fast_period[row[cp]] = period
        if ind.value_type == "category":
            fast_plan[plan_key(row)] = (ind.code, ind.unit, unit_text or None, dims, False, None,
                                        None, None, False, frozenset(ind.values), row_status)
        else:
            lo, hi, integer = bounds(ind)
            fast_plan[plan_key(row)] = (ind.code, ind.unit, unit_text or None, dims, True,
                                        None if factor == 1 else factor, lo, hi, integer, None,
                                        row_status)

    def check_row(rownum: int, row: list) -> None:
        """Every check of one row: add its fact, or report each of its problems."""
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        status_cell = row[cs].strip() if cs is not None else ""
        if status_cell == CALCULATED:  # an export's calculated value: calc run computes it again
            skipped.append(rownum)
            return
        at = stray(row) if blank_cols or len(row) > nhead else None
        if at is not None:
            problem("ESG-IMPORT-024", rownum, at, None, found=row[at].strip(), position=at + 1, n=nhead)
        ent_text = row[ce].strip()
        entity = entity_index.get(ent_text)
        ok = at is None
        if not ent_text:  # a blank cell (or the lower part of a merged one) names no entity
            problem("ESG-IMPORT-016", rownum, ce, "entity", field="entity")
            ok = False
        elif entity is None:
            problem("ESG-IMPORT-003", rownum, ce, "entity", found=ent_text,
                    near=near_miss(ent_text, entity_index) if entity_index else EMPTY_TREE)
            ok = False
        ind_text = row[ci].strip()
        ind = ind_cache.get(ind_text)
        if ind is None:
            ind = indicators.get(ind_text) or _by_name(library, ind_text)
            if ind is not None:
                ind_cache[ind_text] = ind
        if ind is None and not ind_text:
            problem("ESG-IMPORT-016", rownum, ci, "indicator", field="indicator")
            ok = False
        elif ind is None:
            problem("ESG-IMPORT-004", rownum, ci, "indicator", found=ind_text,
                    near=near_miss(ind_text, indicator_names()))
            ok = False
        per_text = row[cp]
        period = period_cache.get(per_text, "")
        if period == "":
            try:
                period = str(Period.parse(per_text))
            except PeriodError:
                period = None
            period_cache[per_text] = period
        if period is None and not per_text.strip():
            problem("ESG-IMPORT-016", rownum, cp, "period", field="period")
            ok = False
        elif period is None:
            problem("ESG-IMPORT-005", rownum, cp, "period", found=per_text.strip())
            ok = False
        if ind is None:
            return
        if ind.kind == "formula":
            problem("ESG-IMPORT-015", rownum, ci, "indicator", indicator=ind.code, found=ind.formula)
            return
        # a row of an export that is not an entered value, or with a status no fact can have
        if cb is not None and row[cb].strip() not in ("", "own"):
            problem("ESG-IMPORT-019", rownum, cb, "basis", field="basis", found=row[cb].strip(),
                    why=Bilingual("合并值由 `esgledger calc run` 计算", "consolidated values are computed by "
                                  "`esgledger calc run`"))
            ok = False
        row_status = default_status
        if status_cell:
            if status_cell not in STATUSES:
                if status_cell == WITHDRAWN:
                    problem("ESG-IMPORT-019", rownum, cs, "status", field="status", found=status_cell,
                            why=Bilingual("已撤回的值不是数值（撤回请用 `esgledger facts withdraw`）",
                                          "a withdrawn value is not a value (withdraw with `esgledger facts withdraw`)"))
                else:
                    problem("ESG-IMPORT-017", rownum, cs, "status", found=status_cell,
                            expected=", ".join(STATUSES))
                ok = False
            elif status is None:
                row_status = status_cell
        # dimensions: one column per dimension, and/or an export's dims column (k=v;k=v)
        dims = ""
        cells = [(dname, di, row[di].strip() if di < len(row) else "") for dname, di in dim_cols]
        if cd is not None and row[cd].strip():
            for part in row[cd].split(";"):
                dname, eq, dv = part.partition("=")
                if not eq or not dname.strip() or not dv.strip():
                    problem("ESG-IMPORT-011", rownum, cd, "dims", indicator=ind.code, found=part.strip(),
                            expected=dimensions_text(library, ind.dimensions, "=…"))
                    ok = False
                    continue
                dname = dname.strip()  # a dimension by its code or name (性别=女性, 电力来源=电网)
                cells.append((dim_names.get(dname, dim_names.get(dname.lower(), dname)), cd, dv.strip()))
        if cells:
            parts = []
            given: set[str] = set()
            for dname, di, dv in cells:
                if not dv:
                    continue
                if dname in given:  # the same dimension twice (a column and the dims cell)
                    problem("ESG-IMPORT-011", rownum, di, dname, indicator=ind.code, found=f"{dname}={dv}",
                            expected=dimensions_text(library, ind.dimensions))
                    ok = False
                    continue
                given.add(dname)
                if dname not in ind.dimensions:
                    problem("ESG-IMPORT-011", rownum, di, dname, indicator=ind.code, found=f"{dname}={dv}",
                            expected=dimensions_text(library, ind.dimensions))
                    ok = False
                    continue
                mk = (dname, dv)
                member = member_cache.get(mk, "")
                if member == "":
                    member = library.resolve_member(dname, dv)
                    member_cache[mk] = member
                allowed = ind.members.get(dname)  # the members the indicator is broken down by
                if member is None or (allowed is not None and member not in allowed):
                    # the dimension is taken; the member is unknown (女 for 女性) or not one it takes
                    found = f"{dname}={dv}" if member is not None else Bilingual(
                        f"{dname}={dv}（{dname} 没有成员“{dv}”）", f"{dname}={dv} ({dname} has no member {dv!r})")
                    problem("ESG-IMPORT-011", rownum, di, dname, indicator=ind.code, found=found,
                            expected=library.members_text(ind.code, dname))
                    ok = False
                    continue
                parts.append(f"{dname}={member}")
            for dname in sorted(given & set(ind.dimensions)):  # a supplier without its material
                outer = library.dimensions[dname].within
                if outer in ind.dimensions and outer not in given:
                    di, dv = next((di, dv) for n, di, dv in cells if n == dname and dv)
                    problem("ESG-IMPORT-011", rownum, di, dname, indicator=ind.code,
                            found=Bilingual(f"{dname}={dv}（缺少 {outer}）", f"{dname}={dv} without {outer}"),
                            expected=Bilingual(f"{outer}=… 与 {dname}=… 一同给出", f"{outer}=… together with {dname}=…"))
                    ok = False
            if ok and narrowed:  # a supplier of other materials than the row's
                picked = dict(p.split("=", 1) for p in parts)
                for dname, outer in narrowed.items():
                    sells = member_within.get((dname, picked.get(dname)))
                    if outer in picked and sells is not None and picked[outer] not in sells:
                        di = next(di for n, di, dv in cells if n == dname and dv)
                        problem("ESG-IMPORT-011", rownum, di, dname, indicator=ind.code,
                                found=f"{outer}={picked[outer]};{dname}={picked[dname]}",
                                expected=Bilingual(
                                    f"{dname}={picked[dname]} 所供 {outer}（见 dimensions.yaml）：{', '.join(sells)}",
                                    f"the {outer} that {dname}={picked[dname]} supplies (dimensions.yaml): "
                                    f"{', '.join(sells)}"))
                        ok = False
            if parts:
                parts.sort()
                dims = ";".join(parts)
        # value and unit
        raw = row[cv].strip()
        unit_text = row[cu].strip()
        if raw == "":
            problem("ESG-IMPORT-016", rownum, cv, "value", field="value")
            return
        value = raw
        unit = ind.unit
        factor = None
        if ind.value_type == "category":
            chosen = category_value(ind.values, raw)  # yes, Yes or 是 for yes
            if chosen is None:
                problem("ESG-IMPORT-013", rownum, cv, "value", indicator=ind.code, found=raw,
                        expected=category_choices(ind.values))
                return
            value = raw = chosen  # kept as the value, not the word (an export reimports as it is)
        else:
            got = _number(raw)
            if got is None:
                problem("ESG-IMPORT-006", rownum, cv, "value", found=value)
                return
            raw, num = got
            if unit_text == "" and ind.unit not in (None, "1"):
                problem("ESG-IMPORT-016", rownum, cu, "unit", field="unit")
                return
            conv = conversion(rownum, cu, "unit", unit_text, ind)
            if conv is None:
                return
            canon, factor = conv
            if factor != 1:
                num = num * factor
                raw = format(num, "f")
            elif not raw.isascii() or raw[0] == "+":
                raw = format(num, "f")  # full-width digits (１２３) or a plus sign: the ledger keeps 123
            lo, hi, integer = bounds(ind)
            v = ind.validation
            if abs(num) > CEILING:  # 1e400 万元: a fat finger or the wrong unit, not a figure
                problem("ESG-IMPORT-014", rownum, cv, "value", indicator=ind.code, found=value,
                        expected=ceiling_text(ind.unit))
                return
            if lo is not None and num < lo or hi is not None and num > hi:
                problem("ESG-IMPORT-014", rownum, cv, "value", indicator=ind.code, found=value,
                        expected=range_text(v.min, v.max, ind.unit, integer=integer))
                return
            if integer and num != num.to_integral_value():
                problem("ESG-IMPORT-014", rownum, cv, "value", indicator=ind.code, found=value,
                        expected=range_text(integer=True))
                return
        value_entered, unit_entered = value, unit_text or None
        if entered_cols:  # an export's value_entered/unit_entered: kept when they give the value
            ve = row[cve].strip() if cve is not None else ""
            ue = row[cue].strip() if cue is not None else ""
            if ve or ue:
                entered = check_entered(rownum, ind, ve, ue, value, unit_text,
                                        num if ind.value_type != "category" else None)
                if entered is None:
                    return
                value_entered, unit_entered = entered
        if not ok:
            return
        if repeats:
            key = (entity, ind.code, period, dims)
            first = seen.get(key)
            if first is not None:
                problem("ESG-IMPORT-009", rownum, None, None,
                        found=f"{ent_text} {ind.code} {period} {dims}".strip(),
                        first=str(loc(first, None, None)))
                return
            seen[key] = rownum
        comment = row[cc].strip() if cc is not None and cc < len(row) else None
        if status is not None and status_cell and status_cell != status:
            replaced[status_cell] = replaced.get(status_cell, 0) + 1
        add(NewFact(entity, ind.code, period, dims, raw, unit, "own", row_status, value_entered,
                    unit_entered, f"{rownum}" if sheet is None else f"{sheet}!A{rownum}",
                    comment or None))
        if value_entered is value:  # entered as the value cell: the fast path may take its like
            accept(row, entity, period, ind, dims, unit_text, factor, row_status)

    def check_entered(rownum: int, ind, ve: str, ue: str, value: str, unit_text: str,
                      num: Decimal | None) -> tuple[str, str | None] | None:
        """The entered value and unit of a row with value_entered/unit_entered cells: those
        cells when they give the row's value (``num``, in the indicator's unit), else None
        after reporting why. Cells that repeat the value and unit are what a plain import keeps."""
        if not ve:  # a unit without a value
            problem("ESG-IMPORT-020", rownum, cve if cve is not None else cue, "value_entered",
                    indicator=ind.code, found=f"unit_entered {ue}",
                    expected=Bilingual("value_entered 与 unit_entered 同时给出，或同时留空",
                                       "value_entered together with unit_entered, or both empty"))
            return None
        if ve == value and ue == unit_text:
            return value, unit_text or None
        if num is None:  # a category: the entered text is the value
            if ve != value or ue:
                problem("ESG-IMPORT-020", rownum, cve, "value_entered", indicator=ind.code,
                        found=f"{ve} {ue}".strip(), expected=_the_value(value))
                return None
            return ve, None
        got = _number(ve)
        if got is None:
            problem("ESG-IMPORT-006", rownum, cve, "value_entered", found=ve)
            return None
        entered = got[1]
        conv = conversion(rownum, cue, "unit_entered", ue, ind)
        if conv is None:
            return None
        if entered * conv[1] != num:
            converted = "" if not ue or ue == ind.unit else f" = {format(entered * conv[1], 'f')} {ind.unit or ''}"
            problem("ESG-IMPORT-020", rownum, cve, "value_entered", indicator=ind.code,
                    found=f"{ve} {ue or ind.unit or ''}{converted}".strip(),
                    expected=_the_value(f"{format(num, 'f')} {ind.unit or ''}".strip()))
            return None
        return ve, ue or None

    def plain_entered(row, raw: str) -> bool:
        """value_entered/unit_entered cells empty, or the row's value and unit again."""
        ve = row[cve].strip() if cve is not None else ""
        ue = row[cue].strip() if cue is not None else ""
        return (not ve and not ue) or (ve == raw and ue == row[cu].strip())

    count_replaced = cs is not None and status is not None
    n = 0
    flush_at = chunk if sink is not None else -1
    made = NewFact if sink is None else tuple  # a sink gets plain tuples (no copy to send them)
    try:
        with gc_paused():  # a million rows kept as tuples: see gc_paused
            for rownum, row in table.rows:
                n += 1
                if n == flush_at:
                    sink(facts)
                    facts = []
                    add = facts.append
                    flush_at += chunk
                # -- fast path: a row like one already accepted; anything else goes to check_row --
                if len(row) < width or ((blank_cols or len(row) > nhead) and stray(row) is not None):
                    check_row(rownum, row)
                    continue
                entity = fast_entity.get(row[ce])
                period = fast_period.get(row[cp])
                plan = fast_plan.get(plan_key(row))
                if entity is None or period is None or plan is None:
                    check_row(rownum, row)
                    continue
                code, unit, unit_entered, dims, number, factor, lo, hi, integer, values, row_status = plan
                raw = row[cv].strip()
                if entered_cols and not plain_entered(row, raw):
                    check_row(rownum, row)  # value_entered/unit_entered to check against the value
                    continue
                if number:
                    if "," in raw:
                        check_row(rownum, row)
                        continue
                    try:
                        num = Decimal(raw)
                    except InvalidOperation:
                        check_row(rownum, row)
                        continue
                    if not num.is_finite():
                        check_row(rownum, row)
                        continue
                    if factor is None:
                        stored = raw if raw.isascii() and raw[0] != "+" else format(num, "f")
                    else:
                        num = num * factor
                        stored = format(num, "f")
                    if (lo is not None and num < lo or hi is not None and num > hi
                            or integer and num != num.to_integral_value()):
                        check_row(rownum, row)
                        continue
                elif raw and raw in values:
                    stored = raw
                else:
                    check_row(rownum, row)
                    continue
                if repeats and seen.setdefault((entity, code, period, dims), rownum) != rownum:
                    check_row(rownum, row)  # a repeat: check_row reports where it came first
                    continue
                add(_new_tuple(made, (
                    entity, code, period, dims, stored, unit, "own", row_status, raw, unit_entered,
                    str(rownum) if sheet is None else f"{sheet}!A{rownum}",
                    (row[cc].strip() or None) if cc is not None else None, ())))
                if count_replaced:
                    cell = row[cs].strip()
                    if cell and cell != status:
                        replaced[cell] = replaced.get(cell, 0) + 1
    except csv.Error as exc:  # the CSV reader itself stops (a field over its size limit …)
        problems.append(Problem("ESG-IMPORT-010", Location(
            file=table.name, line=table.line_now() if table.line_now else None), {
                "expected": Bilingual("CSV 格式的一行", "a row in CSV form"), "found": reason(exc)}))
    if sink is not None:
        if facts:
            sink(facts)
        rep.facts = []
    rep.rows = n
    rep.skipped = len(skipped)
    if n == 0 and not problems:
        problems.append(Problem("ESG-IMPORT-002", Location(file=table.name)))
    problems.extend(notices(table, skipped, replaced, status))
    return rep


def notices(table: _Table, skipped: list[int], replaced: dict[str, int], status: str | None) -> list[Problem]:
    """The warnings of an import that lands: the export's calculated rows it left out
    (ESG-IMPORT-021) and the status cells the status given replaced (ESG-IMPORT-022)."""
    out = []
    if skipped:
        first = table.location(skipped[0], None)
        out.append(Problem("ESG-IMPORT-021", Location(file=table.name, column="status"), {
            "n": len(skipped), "first": str(first)}))
    if replaced:
        out.append(Problem("ESG-IMPORT-022", Location(file=table.name, column="status"), {
            "n": sum(replaced.values()), "status": status,
            "found": ", ".join(f"{k} × {v}" for k, v in sorted(replaced.items()))}))
    return out
