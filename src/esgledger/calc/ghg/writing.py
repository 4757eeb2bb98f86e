"""Writing a GHG run's results: the outputs whose value or mark changed are appended with their
lineage (the facts read, the method and GWP set, every factor value used), and the results no
longer produced withdrawn, in one transaction. A mixin of
:class:`~esgledger.calc.ghg.run.GhgRun`, whose facts, factors and outputs it works with."""
from __future__ import annotations

import dataclasses
import json

from esgledger.calc._rows import insert_rows
from esgledger.calc.ghg.common import Output, _dedup_factors, _factors
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.types import FACT_STATUS_NAMES, WITHDRAWN, FactRecord
from esgledger.model.units import plain, with_unit
from esgledger.store import schema as S
from esgledger.store.ledger import NewFact
from esgledger.store.lineage import record_methods

METHOD_VERSION = "1.0"


def run_source(period: str) -> str:
    return f"ghg run {period}"


class _Writing:
    """GhgRun's writing."""

    def _write(self, conn=None) -> None:
        """Append the outputs whose value changed, with their lineage, in one transaction (the
        caller's ``conn`` when it holds one)."""
        keep = []
        for o in self.res.outputs:
            old = self.existing.get((o.entity, o.indicator, o.dims))
            text = plain(o.value)
            if old is not None and old.value == text and (old.comment or None) == o.comment:
                self.res.unchanged += 1
            else:
                keep.append((o, text))
                if old is not None and old.status not in ("calculated", WITHDRAWN):
                    # a value someone entered for a figure the methods compute from the entity's
                    # activity data: the calculated one takes its place, and the run says so
                    unit = self.lib[o.indicator].unit
                    names = FACT_STATUS_NAMES.get(old.status, {"zh": old.status, "en": old.status})
                    was = with_unit(old.value, unit)
                    self.res.problems.append(Problem("ESG-CALC-009", Location(
                        field=f"{o.entity}/{o.indicator}" + (f"/{o.dims}" if o.dims else "")), {
                        "entity": o.entity, "indicator": o.indicator, "period": self.period,
                        "found": Bilingual(f"{was.zh}（{names['zh']}）", f"{was.en} ({names['en']})"),
                        "expected": with_unit(text, unit)}))
        if not keep and not self._stale:  # nothing changed: no batch either
            return
        if conn is None:
            with self.store.writer.begin() as conn:
                self._append(conn, keep)
        else:
            self._append(conn, keep)

    def _append(self, conn, keep) -> None:
        facts = [NewFact(o.entity, o.indicator, self.period, o.dims, text, self.lib[o.indicator].unit, "own",
                         "calculated", None, None, None, o.comment, _input_rows(o.inputs))
                 for o, text in keep]
        # outputs of this run another one was computed from: linked once all have their facts
        derived = [(i, d) for i, (o, _t) in enumerate(keep) for d in _derived_inputs(o.inputs)]
        stale, self._stale = self._stale, []
        tombstones = [NewFact(f.entity, f.indicator, self.period, f.dims, f.value, f.unit, "own", WITHDRAWN)
                      for f in stale]
        append = self.append or self.store._append
        batch_id, ids = append(conn, facts + tombstones, kind="calc", source=run_source(self.period),
                               author=self.author, note=self.note, return_ids=True)
        ids, withdrawn_ids = ids[:len(facts)], ids[len(facts):]
        for f, fid in zip(stale, withdrawn_ids):
            del self.existing[(f.entity, f.indicator, f.dims)]
            self.res.withdrawn.append(dataclasses.replace(f, revision=f.revision + 1, status=WITHDRAWN,
                                                          author=self.author, id=fid, batch=batch_id))
        record_methods(conn, [
            (fid, o.method, METHOD_VERSION, o.view, o.gwp or self.gwp,
             json.dumps({"equation": o.equation} if o.equation else
                        {"equation": o.result.equation} if o.result is not None else {}, ensure_ascii=False),
             [fv.row for fv in _dedup_factors(_factors(o.result) + list(o.factors))])
            for fid, (o, _t) in zip(ids, keep)])
        for fid, (o, text), nf in zip(ids, keep, facts):
            old = self.existing.get((o.entity, o.indicator, o.dims))
            rec = FactRecord(o.entity, o.indicator, self.period, o.dims, text, nf.unit, "own",
                             old.revision + 1 if old is not None else 1, "calculated", comment=o.comment,
                             author=self.author, id=fid, batch=batch_id)
            self.existing[(o.entity, o.indicator, o.dims)] = rec
            self.res.records.append(rec)
        if derived:  # the fact of each such output: written just now, or kept from before
            insert_rows(conn, S.fact_input, [
                (ids[i], self.existing[(d.entity, d.indicator, d.dims)].id, f"input:{d.indicator}", None)
                for i, d in derived], ("fact_id", "input_fact_id", "role", "weight"))
        self.res.batch_id = batch_id
        self.res.written = len(keep)


def _input_rows(facts: list) -> tuple:
    """The lineage of an output: (fact id, role, weight) of each fact it read, once each, in
    the order read (a product's figures read ~50 facts, many twice); outputs of the run among
    them are linked after the append (:func:`_derived_inputs`)."""
    rows: dict[int | None, tuple] = {}
    for f in facts:
        if type(f) is not Output and f.id not in rows:
            rows[f.id] = (f.id, f"input:{f.indicator}", None)
    return tuple(rows.values())


def _derived_inputs(facts: list) -> list[Output]:
    """The outputs of the run among an output's inputs, once each."""
    out: dict[int, Output] = {}
    for f in facts:
        if type(f) is Output:
            out.setdefault(id(f), f)
    return list(out.values())
