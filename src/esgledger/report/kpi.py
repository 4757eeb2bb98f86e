"""The KPI table (绩效表) as data: sections by dimension and topic, rows, multi-year cells.

Built from the ledger and a layout file (``library/data/kpi_layout.yaml``); renderers turn
it into XLSX, HTML, Markdown (see :mod:`esgledger.report.render`). Values are rounded
half-up at the indicator's precision only here, when presenting; a missing value is a dash
with a footnote, never a zero; a restated value (a later revision of a figure that had
another value) gets a footnote.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

import yaml

from esgledger.model.errors import EsgledgerError
from esgledger.model.types import Dims, FactRecord
from esgledger.model.units import UNITS
from esgledger.report.figure_notes import FIGURE_NOTES  # illustrative, split, calibrated
from esgledger.report.numbers import format_value

DIMENSION_TITLES = {"E": {"zh": "环境", "en": "Environmental"},
                    "S": {"zh": "社会", "en": "Social"},
                    "G": {"zh": "治理", "en": "Governance"}}
NOTE_MISSING = {"zh": "未披露或不适用。", "en": "Not disclosed or not applicable."}
NOTE_RESTATED = {"zh": "该数据已重述，与此前披露值不同。", "en": "Restated; differs from the value disclosed earlier."}
NOTE_ILLUSTRATIVE = FIGURE_NOTES["illustrative"]


class LayoutError(EsgledgerError, ValueError):
    """The KPI layout names an indicator, entity or dimension that does not exist."""


@dataclass(frozen=True)
class KpiCell:
    value: Decimal | None
    text: str                  # the display text (rounded, or a category value, or "—")
    notes: tuple[str, ...] = ()  # footnote keys: "missing", "restated", "illustrative", "split", "calibrated",
    #                              "incomplete"
    fact_ids: tuple[int, ...] = ()
    # the figure rests on data not yet approved (report/approval.py): the note in each language,
    # a footnote of its own beside the marks above
    unapproved: dict[str, str] | None = None


@dataclass(frozen=True)
class KpiRow:
    indicator: str
    entity: str
    dims: tuple[str, ...]       # one dims key per member shown in this row
    label: dict[str, str]       # {"zh": ..., "en": ...}
    unit: str | None
    precision: int
    cells: dict[int, KpiCell]

    def unit_label(self, lang: str) -> str:
        return UNITS.display(self.unit, lang)


@dataclass(frozen=True)
class KpiSection:
    dimension: str
    topic: str
    title: dict[str, str]
    rows: tuple[KpiRow, ...]


@dataclass
class KpiTable:
    period: int
    years: list[int]
    sections: list[KpiSection]
    notes: dict[str, dict[str, str]] = field(default_factory=dict)

    def rows(self) -> list[tuple[KpiSection, KpiRow]]:
        return [(s, r) for s in self.sections for r in s.rows]

    def find(self, label_zh: str) -> KpiRow | None:
        for _s, r in self.rows():
            if r.label["zh"] == label_zh:
                return r
        return None


def load_layout(path: Path | None = None) -> dict:
    if path is not None:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    text = resources.files("esgledger.library").joinpath("data", "kpi_layout.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _row_label(lib, ind, entity_rec, dims_list, spec) -> dict[str, str]:
    if spec.get("label"):
        return {"zh": spec["label"]["zh"], "en": spec["label"]["en"]}
    out = {}
    for lang in ("zh", "en"):
        name = ind.name.get(lang)
        if spec.get("entity"):
            name = (entity_rec.name(lang) + ("" if lang == "zh" else ": ")) + name
        if len(dims_list) == 1 and dims_list[0]:
            members = [lib.dimension_member_label(k, v, lang) for k, v in Dims.parse(dims_list[0])]
            name += f"（{'、'.join(members)}）" if lang == "zh" else f": {', '.join(members)}"
        out[lang] = name
    return out


def build_kpi_table(ws, period: int, layout: dict | None = None) -> KpiTable:
    """Read the ledger and lay out the KPI table for ``period`` and the layout's years."""
    layout = layout or load_layout()
    lib = ws.library
    years = [y for y in layout.get("years", [period - 2, period - 1, period]) if y <= period]
    root = ws.root()
    ws.access.require("read", target="the group's KPI table")  # a group report needs group-wide reads
    facts: dict[tuple[str, str, str, str, str], FactRecord] = {}
    for f in ws.calc_store.iter_current(period=[str(y) for y in years], basis=None):  # as report.inputs says
        facts[(f.entity, f.indicator, f.period, f.dims, f.basis)] = f
    sections = []
    for sec in layout["sections"]:
        rows = []
        for spec in sec["rows"]:
            code = spec["indicator"]
            ind = lib.get(code)
            if ind is None:
                raise LayoutError(f"KPI layout row names unknown indicator {code!r}")
            entity = spec.get("entity", root)
            if entity not in ws.tree.entities:
                raise LayoutError(f"KPI layout row {code} names unknown entity {entity!r}")
            if "members" in spec:
                (dim, members), = spec["members"].items()
                dims_list = tuple(Dims({dim: m}).key for m in members)
            else:
                dims_list = (Dims(spec.get("dims") or {}).key,)
            for key in dims_list:
                for k, _v in Dims.parse(key):
                    if k not in ind.dimensions:
                        raise LayoutError(f"KPI layout row {code} uses dimension {k!r} it does not take")
            basis = ws._basis_for(entity)
            cells = {}
            for y in years:
                found = [facts.get((entity, code, str(y), d, basis)) for d in dims_list]
                cells[y] = _cell(ws, ind, found)
            rows.append(KpiRow(code, entity, dims_list, _row_label(lib, ind, ws.tree.entities[entity], dims_list, spec),
                               ind.unit, ind.precision, cells))
        topic = lib.topics.get(sec["topic"])
        title = {"zh": topic.name.zh, "en": topic.name.en} if topic else {"zh": sec["topic"], "en": sec["topic"]}
        sections.append(KpiSection(sec["dimension"], sec["topic"], title, tuple(rows)))
    return mark_unapproved(ws, mark_illustrative(ws, KpiTable(period, years, sections, {
        "missing": NOTE_MISSING, "restated": NOTE_RESTATED, **FIGURE_NOTES}), root))


def mark_illustrative(ws, kpi: "KpiTable", group: str | None = None) -> "KpiTable":
    """Footnote the cells whose figure is, or rests on (through its lineage), a fact whose
    comment marks it (UAT1 F7; UAT4 F-M1): ``illustrative``, ``split`` (a company's share of a
    published group total) or ``calibrated`` (the group's figure equals the published one,
    its inputs are illustrative), as :func:`figure_notes.figure_statuses` decides for the
    group ``group`` (the workspace's root). Data-driven: the comment column of the
    interchange format (``figure_notes.comment_status``)."""
    import dataclasses

    from esgledger.report.figure_notes import FIGURE_STATUSES, figure_statuses

    cells = [(r, y, c) for sec in kpi.sections for r in sec.rows for y, c in r.cells.items() if c.fact_ids]
    status = figure_statuses(ws.store, {i for _r, _y, c in cells for i in c.fact_ids}, group or ws.root())
    for r, y, c in cells:
        found = [status[i] for i in c.fact_ids if i in status]
        if found:
            worst = max(found, key=FIGURE_STATUSES.index)
            r.cells[y] = dataclasses.replace(c, notes=c.notes + (worst,))
    return kpi


def mark_unapproved(ws, kpi: "KpiTable") -> "KpiTable":
    """Note the cells whose figure rests on data not yet approved, read now (audit A5-L3,
    :mod:`esgledger.report.approval`): how many facts and the first of them, in each language.
    Beside any other mark of the cell, never instead of one."""
    import dataclasses

    from esgledger.report.approval import Pending, pending_approval, reads_approved_only

    if reads_approved_only(ws):  # the table printed approved values, calculated from approved ones
        return kpi
    cells = [(r, y, c) for sec in kpi.sections for r in sec.rows for y, c in r.cells.items() if c.fact_ids]
    found = pending_approval(ws.store, {i for _r, _y, c in cells for i in c.fact_ids}, approved_only=False)
    for r, y, c in cells:
        pending = [found[i] for i in c.fact_ids if i in found]
        if pending:  # the members of a row of several: their facts together
            keys = Pending(tuple(sorted({k for p in pending for k in p.keys})))
            r.cells[y] = dataclasses.replace(c, unapproved={lang: keys.text(lang, ws.library, str(y))
                                                            for lang in ("zh", "en")})
    return kpi


def _cell(ws, ind, found: list[FactRecord | None]) -> KpiCell:
    if any(f is None for f in found):
        return KpiCell(None, "—", ("missing",))
    ids = tuple(f.id for f in found)
    notes = ("restated",) if any(_restated(ws, f) for f in found) else ()
    if ind.value_type == "category":
        texts = sorted({f.value for f in found})
        return KpiCell(None, " / ".join(texts), notes, ids)
    values = [Decimal(f.value) for f in found]
    shown = [format_value(v, ind.precision) for v in values]
    text = shown[0] if len(set(shown)) == 1 else " / ".join(shown)
    return KpiCell(values[0] if len(set(shown)) == 1 else None, text, notes, ids)


def _restated(ws, f: FactRecord) -> bool:
    """A fact is restated when an earlier revision of it was approved with another value."""
    if f.revision <= 1 or f.basis != "own":
        return False
    return any(h.status == "approved" and h.value != f.value
               for h in ws.store.history(f.entity, f.indicator, f.period, f.dims, f.basis)[:-1])
