"""Writing a consolidation run: only the calculated values whose value or mark changed are
appended, with their lineage (a value still pending resolved to its fact's id), and the values
no longer produced withdrawn. A mixin of :class:`~esgledger.calc.consolidate.run.Consolidation`,
whose values and tree it works with."""
from __future__ import annotations

import dataclasses

from esgledger.calc._rows import insert_rows
from esgledger.calc.consolidate.values import Value
from esgledger.model.types import WITHDRAWN, FactRecord
from esgledger.store import schema as S
from esgledger.store.ledger import NewFact


def run_source(period: str, approach: str) -> str:
    return f"calc run {period} {approach}"


class _Writing:
    """Consolidation's writing."""

    def _write(self, conn=None) -> None:
        """Append only the calculated facts whose value changed; resolve pending lineage (in
        the caller's transaction ``conn`` when given)."""
        keep: list[int] = []
        # a kept fact may read an unchanged one: its id is the existing fact's id
        resolved: dict[int, int] = {}
        for i, f in enumerate(self.out):
            old = self.existing.get((f.entity, f.indicator, f.dims, f.basis))
            if old is not None and old.value == f.value and old.status == "calculated" \
                    and (old.comment or None) == f.comment:
                self.result.unchanged += 1
                resolved[i] = old.id
            else:
                if old is not None:
                    resolved[i] = old.id
                keep.append(i)
        rows = [self.out[i]._replace(inputs=()) for i in keep]
        stale, self._stale = self._stale, []
        rows += [NewFact(f.entity, f.indicator, f.period, f.dims, f.value, f.unit, f.basis, WITHDRAWN)
                 for f in stale]
        if not rows:  # nothing changed: no batch either (a run that changes nothing writes nothing)
            batch_id, ids = None, []
        elif conn is None:
            with self.store.writer.begin() as conn:
                batch_id, ids = self._append(conn, rows, keep, resolved)
        else:
            batch_id, ids = self._append(conn, rows, keep, resolved)
        self.result.batch_id = batch_id
        self.result.written = len(keep)
        for f, fid in zip(stale, ids[len(keep):]):
            del self.existing[(f.entity, f.indicator, f.dims, f.basis)]
            self.result.withdrawn.append(dataclasses.replace(
                f, revision=f.revision + 1, status=WITHDRAWN, author=self.author, id=fid, batch=batch_id))
        for i, fid in zip(keep, ids):
            f = self.out[i]
            old = self.existing.get((f.entity, f.indicator, f.dims, f.basis))
            self.existing[(f.entity, f.indicator, f.dims, f.basis)] = FactRecord(
                f.entity, f.indicator, f.period, f.dims, f.value, f.unit, f.basis,
                old.revision + 1 if old is not None else 1, "calculated", comment=f.comment, author=self.author,
                id=fid, batch=batch_id)
        # what this run computed now names its facts, for the lineage of the next update (only
        # values emitted by this run can be pending)
        for store, key in self._pending:
            v = store.get(key)
            if v is not None and v.pending is not None:
                store[key] = Value(v.number, resolved.get(v.pending), None, v.text, v.mark)
        self._pending = []
        # the rows are written and every value names its fact: the run's list of them (every
        # value a full run computed, each with its lineage) is let go now, by the run that made
        # it, not kept with the state until the next update replaces it
        self.out = []

    def _append(self, conn, rows, keep, resolved) -> tuple[int, list[int]]:
        append = self.append or self.store._append
        batch_id, ids = append(conn, rows, kind="calc",
                                           source=run_source(self.period, self.approach),
                                           author=self.author, note=self.note)
        for i, fid in zip(keep, ids):
            resolved[i] = fid
        links = []
        add = links.append
        for i, fid in zip(keep, ids):
            for fact_id, pending, role, weight in self.out[i].inputs:
                src = fact_id if fact_id is not None else resolved.get(pending)
                if src is not None:
                    add((fid, src, role, weight))
        insert_rows(conn, S.fact_input, links, ("fact_id", "input_fact_id", "role", "weight"))
        return batch_id, ids
