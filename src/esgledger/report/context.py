"""What a report build reads from the ledger, read once: facts of the report's years, the KPI
table, the framework index, and the placeholder values.

A :class:`ReportContext` is set up from a workspace and a loaded definition (the setting-up
step); building the documents in each language and the gap check then only look things up in
it (so building both languages in every format reads the ledger once).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.model.types import Dims, FactRecord
from esgledger.model.units import UNITS
from esgledger.report.definition import Definition, check_entities
from esgledger.report.numbers import format_value


BASIS_NAMES = {"control": Bilingual("运营控制权法", "operational control"),
               "equity": Bilingual("股权比例法", "equity share")}


@dataclass(frozen=True)
class Coverage:
    """Which years of a report the ledger can fill (:meth:`ReportContext.coverage`).

    ``empty``: years with no fact at all at the report entity or below it; ``uncalculated``:
    years with facts but no figure of the report entity on the report's consolidation basis
    (never calculated, or calculated on the other basis only: the report would print dashes
    throughout); ``other_bases``: the consolidated bases that do have figures in those years;
    ``never_calculated``: of ``uncalculated``, the years without any calculated value."""

    basis: str
    empty: tuple[int, ...] = ()
    uncalculated: tuple[int, ...] = ()
    other_bases: tuple[str, ...] = ()
    never_calculated: tuple[int, ...] = ()

    def covered(self, year: int) -> bool:
        """A placeholder or chart of ``year`` that lacks a value is already explained by a
        year-wide problem (no need to list it)."""
        return year in self.empty or year in self.uncalculated


class ReportContext:
    """The ledger as one report sees it: entity, consolidation basis, years and facts."""

    def __init__(self, ws, definition: Definition, period: int | None = None):
        self.ws = ws
        self.definition = definition
        self.model = definition.model
        self.library = ws.library
        self.period = int(period or self.model.period)
        self.years = self.model.years(self.period)
        self.approach = self.model.consolidation or ws.approach
        self.entity = self.model.entity or ws.root()
        self.problems = ProblemList(check_entities(definition, ws.tree))
        parents = {m.parent for ms in ws.tree.memberships.values() for m in ms if m.parent}
        self._has_children = parents
        years = set(self.years)
        for node, _d, _p in self.model.walk():
            years |= {c.baseline_year for c in node.charts if c.baseline_year}
        self._facts: dict[tuple[str, str, str, str, str], FactRecord] = {}
        self._present: dict[int, set[str]] = {}
        # the figures as report.inputs says (calc_store: with ``approved``, each key's latest
        # approved revision, as the calculations read it; a newer one awaiting approval is
        # listed by the gap check, :meth:`awaiting_approval`, not printed)
        for f in ws.calc_store.iter_current(period=[str(y) for y in sorted(years)], basis=None):
            self._facts[(f.entity, f.indicator, f.period, f.dims, f.basis)] = f

    # -- lookups -------------------------------------------------------------------------
    def basis(self, entity: str) -> str:
        return self.approach if entity in self._has_children else "own"

    def dims_key(self, dims) -> str:
        """A canonical dims key from ``{dimension: member code or name}`` or pairs."""
        items = dims.items() if isinstance(dims, dict) else dims
        return Dims({k: self.library.resolve_member(k, v) or v for k, v in items}).key

    def facts_all(self):
        """Every current fact the report read (of its years, any entity and basis)."""
        return self._facts.values()

    def fact(self, indicator: str, year: int, entity: str | None = None, dims="") -> FactRecord | None:
        entity = entity or self.entity
        key = dims if isinstance(dims, str) else self.dims_key(dims)
        return self._facts.get((entity, indicator, str(year), key, self.basis(entity)))

    def value(self, indicator: str, year: int, entity: str | None = None, dims="") -> Decimal | None:
        f = self.fact(indicator, year, entity, dims)
        ind = self.library.get(indicator)
        if f is None or ind is None or ind.value_type != "number":
            return None
        return Decimal(f.value)

    def breakdown_ids(self, indicator: str, year: int, entity: str | None = None) -> list[int]:
        """Ids of the figure and of each of its breakdowns (every dims) at the entity: the
        calculation records factors on the breakdown it computed (Scope 3 by category)."""
        entity = entity or self.entity
        basis, year_ = self.basis(entity), str(year)
        return [f.id for k, f in self._facts.items()
                if k[0] == entity and k[1] == indicator and k[2] == year_ and k[4] == basis]

    def figure_statuses(self, facts) -> dict[int, str]:
        """``fact id → illustrative | split | calibrated`` for the facts whose printed figure
        carries a mark (``figure_notes.figure_statuses``, the report entity as the group whose
        totals are published); each fact's lineage is walked once per report."""
        from esgledger.report.figure_notes import figure_statuses

        cache = self.__dict__.setdefault("_statuses", {})
        todo = {f.id for f in facts if f is not None and f.id not in cache}
        if todo:
            found = figure_statuses(self.ws.store, todo, self.entity)
            cache.update({i: found.get(i) for i in todo})
        return {f.id: cache[f.id] for f in facts if f is not None and cache.get(f.id)}

    def pending(self, facts) -> dict:
        """``fact id → Pending`` for the printed figures that rest on data not yet approved,
        read now (:mod:`esgledger.report.approval`); each fact's lineage is walked once per
        report, the report entity's figures all in the first walk (the narrative asks for them
        one by one)."""
        from esgledger.report.approval import pending_approval, reads_approved_only

        if reads_approved_only(self.ws):  # the report prints approved values, calculated from approved ones
            return {}
        facts = [f for f in facts if f is not None]
        walk = facts
        if "_pending" not in self.__dict__:
            self.__dict__["_pending"] = {}
            walk = facts + [f for k, f in self._facts.items() if k[0] == self.entity]
        cache = self.__dict__["_pending"]
        todo = {f.id for f in walk if f.id not in cache}
        if todo:
            found = pending_approval(self.ws.store, todo, approved_only=False)
            cache.update({i: found.get(i) for i in todo})
        return {f.id: cache[f.id] for f in facts if cache.get(f.id)}

    def unapproved(self, facts) -> dict[int, dict[str, str]]:
        """``fact id → {"zh": note, "en": note}`` of :meth:`pending`, each figure's note."""
        by_id = {f.id: f for f in facts if f is not None}
        return {i: {lang: p.text(lang, self.library, by_id[i].period) for lang in ("zh", "en")}
                for i, p in self.pending(by_id.values()).items()}

    def figure_status(self, fact: FactRecord | None) -> str | None:
        """``illustrative``, ``split``, ``calibrated`` or None for one printed figure."""
        return None if fact is None else self.figure_statuses([fact]).get(fact.id)

    def is_illustrative(self, fact: FactRecord) -> bool:
        """The fact's figure is illustrative: it is, or rests on through its lineage, an
        illustrative input that no calibration or group total answers for."""
        return self.figure_status(fact) == "illustrative"

    def has_value(self, indicator: str, year: int | None = None) -> bool:
        """The report prints a value of ``indicator`` for the year, any breakdown: the report
        entity's figure on the report's basis, or, for an indicator the ledger does not hold at
        the report entity on any basis (a figure such as a smelter's pass rate is reported for
        the plant only), a value of an entity below it. A group figure held on another basis
        only (an equity report before ``calc run --approach equity``) is no value: the report
        prints a dash (audit A5-H1)."""
        year = int(year or self.period)
        if year not in self._present:
            y, basis = str(year), self.basis(self.entity)
            at_entity = {k[1] for k in self._facts if k[0] == self.entity and k[2] == y}
            printed = {k[1] for k in self._facts if k[0] == self.entity and k[2] == y and k[4] == basis}
            below = {f.indicator for f in self.facts_of(self.library.indicators, year) if f.entity != self.entity}
            self._present[year] = printed | (below - at_entity)
        return indicator in self._present[year]

    def coverage(self) -> Coverage:
        """The years of the report the ledger cannot fill (:class:`Coverage`), read once."""
        if "_coverage" in self.__dict__:
            return self.__dict__["_coverage"]
        basis = self.basis(self.entity)
        empty, uncalculated, never, others = [], [], [], set()
        for year in self.years:
            y = str(year)
            scope = {self.entity, *self.ws.tree.descendants_on(self.entity, dt.date(year, 12, 31))}
            facts = [f for k, f in self._facts.items() if k[2] == y and k[0] in scope]
            if not facts:
                empty.append(year)
                continue
            if basis == "own":  # the report entity has no entities below it: its entered facts print
                continue
            at_entity = {f.basis for f in facts if f.entity == self.entity}
            if basis not in at_entity:
                uncalculated.append(year)
                others |= at_entity - {"own"}
                if not any(f.status == "calculated" for f in facts):
                    never.append(year)
        cov = Coverage(basis, tuple(empty), tuple(uncalculated), tuple(sorted(others)), tuple(never))
        self.__dict__["_coverage"] = cov
        return cov

    def coverage_problems(self) -> ProblemList:
        """The build's problems of :meth:`coverage`: ESG-REPORT-010 (an error) when the
        reporting year has no facts at all, ESG-REPORT-009 (an error) when a year has no figure
        of the report entity on the report's basis, ESG-REPORT-011 (a warning) for comparison
        years without facts; one problem each, not one per placeholder (audit A5-H1, A5-L2)."""
        cov = self.coverage()
        out = ProblemList()
        where = Location(file=self.definition.file, field="period")
        if self.period in cov.empty:
            out.append(Problem("ESG-REPORT-010", where, {"entity": self.entity, "period": self.period}))
            return out
        if cov.uncalculated:
            out.append(Problem("ESG-REPORT-009", self.basis_location(), self.basis_params(cov)))
        earlier = [y for y in cov.empty if y != self.period]
        if earlier:
            out.append(Problem("ESG-REPORT-011", where, {"entity": self.entity, "years": _years(earlier)}))
        return out

    def basis_location(self) -> Location:
        """Where the report's consolidation basis is set: the definition's ``consolidation``,
        else the workspace's ``report.consolidation``."""
        if self.model.consolidation:
            return Location(file=self.definition.file, field="consolidation")
        return Location(file="esgledger.toml", field="report.consolidation")

    def basis_params(self, cov: Coverage) -> dict:
        """The parameters of ESG-REPORT-009 (also the gap check's item): the basis by name, the
        years, the bases the ledger does have, and the commands that fill the years."""
        name = BASIS_NAMES.get(cov.basis, Bilingual(cov.basis, cov.basis))
        other = ""
        if cov.other_bases:
            names = [BASIS_NAMES.get(b, Bilingual(b, b)) for b in cov.other_bases]
            other = Bilingual("（仅有" + "、".join(n.zh for n in names) + "的数据）",
                              " (it has " + ", ".join(n.en for n in names) + " figures only)")
        fix = "; ".join(f"esgledger calc run --period {y} --approach {cov.basis}" for y in cov.uncalculated)
        return {"entity": self.entity, "basis": name, "years": _years(cov.uncalculated), "other": other, "fix": fix}

    def facts_of(self, indicators, year: int | None = None) -> list[FactRecord]:
        """Facts of these indicators for the year at the report entity and below it."""
        year = int(year or self.period)
        wanted = set(indicators)
        scope = {self.entity, *self.ws.tree.descendants_on(self.entity, dt.date(year, 12, 31))}
        return [f for k, f in self._facts.items()
                if k[1] in wanted and k[2] == str(year) and k[0] in scope]

    def awaiting_approval(self, indicators, year: int | None = None) -> list[FactRecord]:
        """The own facts of these indicators for the year at the report entity and below it
        whose latest revision is not approved (draft, submitted, rejected): with
        ``report.inputs = all`` the figures printed so, with ``approved`` the revisions the
        report leaves out until they are approved."""
        from esgledger.report.approval import reads_approved_only

        if reads_approved_only(self.ws):  # the latest revisions, which the report did not read
            year = int(year or self.period)
            scope = {self.entity, *self.ws.tree.descendants_on(self.entity, dt.date(year, 12, 31))}
            facts = [f for f in self.ws.store.iter_current(period=str(year), basis="own",
                                                           indicator=sorted(set(indicators))) if f.entity in scope]
        else:  # what it printed
            facts = [f for f in self.facts_of(indicators, year) if f.basis == "own"]
        return [f for f in facts if f.status not in ("approved", "calculated")]

    def unit_label(self, indicator: str, lang: str) -> str:
        ind = self.library.get(indicator)
        return UNITS.display(ind.unit, lang) if ind is not None and ind.unit else ""

    def with_unit(self, text: str, indicator: str, lang: str) -> str:
        unit = self.unit_label(indicator, lang)
        if not unit or text == format_value(None, 0):
            return text
        if unit == "%" or (lang == "zh" and "\u2e80" <= unit[0]):
            return text + unit
        return f"{text} {unit}"

    # -- derived tables (computed once) --------------------------------------------------
    @contextlib.contextmanager
    def _approach(self):
        """The workspace's basis lookups follow the definition's consolidation approach."""
        report = self.ws.config.setdefault("report", {})
        before = report.get("consolidation")
        report["consolidation"] = self.approach
        try:
            yield
        finally:
            if before is None:
                report.pop("consolidation", None)
            else:
                report["consolidation"] = before

    @cached_property
    def kpi(self):
        from esgledger.report.kpi import build_kpi_table, load_layout

        layout = dict(load_layout())
        layout["years"] = self.years
        known = self.ws.tree.entities
        # the shipped layout names plants of the reference group: rows for entities this
        # workspace does not have are left out
        layout["sections"] = [dict(sec, rows=[r for r in sec["rows"] if r.get("entity", self.entity) in known])
                              for sec in layout["sections"]]
        layout["sections"] = [sec for sec in layout["sections"] if sec["rows"]]
        with self._approach():
            kpi = build_kpi_table(self.ws, self.period, layout)
        return _mark_restated_lineage(self.ws, kpi)

    @cached_property
    def index(self):
        from esgledger.report.index import build_index

        return build_index(self.model, self.library, has_value=self.has_value)

    @cached_property
    def report_indicators(self) -> set[str]:
        """Every indicator the report shows (KPI table, sections, placeholders, charts)."""
        out = {r.indicator for _s, r in self.kpi.rows()}
        for row in self.index:
            out |= set(row.indicators)
        for node, _d, _p in self.model.walk():
            out |= set(node.indicators)
            for c in node.charts:
                out |= {s.indicator for s in c.series} | ({c.indicator} if c.indicator else set())
        return out

    @cached_property
    def printed_indicators(self) -> set[str]:
        """The indicators whose report-entity total for the reporting year the report prints as
        a number in every report language: a row of the KPI table, a row of a section's
        indicator table (``table: indicators``), or a ``{{ fact X }}`` placeholder of the
        reporting year without an entity of its own or a breakdown. A section's ``indicators``
        list alone (what it answers, for the framework index) and a chart do not print the
        figure; the gap check's required datapoints must be printed (UAT: Art. 24 was passed on
        indicators only listed)."""
        from esgledger.report.definition import iter_texts
        from esgledger.report.placeholders import PlaceholderError, parse_placeholder, placeholders, resolve_year

        out = {r.indicator for _s, r in self.kpi.rows() if r.entity == self.entity and r.dims == ("",)}
        for node, _d, _p in self.model.walk():
            if node.table == "indicators":
                out |= set(node.indicators)
        by_lang: dict[str, set[str]] = {lang: set() for lang in self.model.languages}
        for _node, fld, lang, text in iter_texts(self.definition):
            if lang not in by_lang or fld != "narrative":
                continue
            for _offset, _whole, inner in placeholders(text or ""):
                try:
                    ph = parse_placeholder(inner)
                except PlaceholderError:
                    continue
                if (ph.kind == "fact" and ph.indicator and ph.entity in (None, self.entity) and not ph.dims
                        and any(resolve_year(y, self.period) == self.period for y in ph.years)):
                    by_lang[lang].add(ph.indicator)
        return out | set.intersection(*by_lang.values()) if by_lang else out


def _years(years) -> Bilingual:
    """Years as a problem names them: ``2022、2023`` / ``2022, 2023``."""
    return Bilingual("、".join(map(str, years)), ", ".join(map(str, years)))


def _mark_restated_lineage(ws, kpi):
    """Footnote as restated the consolidated and calculated cells whose inputs were restated
    (the KPI table itself marks restated entered facts)."""
    import dataclasses

    from esgledger.report.figure_notes import restated_through_lineage

    cells = [(r, y, c) for _s, r in kpi.rows() for y, c in r.cells.items()
             if c.fact_ids and "restated" not in c.notes]
    ids = {i for _r, _y, c in cells for i in c.fact_ids}
    restated = restated_through_lineage(ws.store, ids)
    for r, y, c in cells:
        if restated & set(c.fact_ids):
            r.cells[y] = dataclasses.replace(c, notes=c.notes + ("restated",))
    return kpi
