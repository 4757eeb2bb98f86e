"""The lineage of a reported value, as ``esgledger explain`` shows it: the value, the facts it
was computed from down to the imported rows, and for a calculated value the method, the
factors and the equation its lineage records. :class:`WorkspaceLineage` is part of
:class:`esgledger.workspace.Workspace`; :func:`esgledger.cli_explain.render_explain` renders
an :class:`ExplainNode` in the reader's language."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from esgledger.model.types import FactRecord


@dataclass
class ExplainNode:
    fact: FactRecord
    role: str | None = None
    weight: str | None = None
    source: str | None = None
    children: list["ExplainNode"] = field(default_factory=list)
    method: str | None = None          # "aluminium:pfc_slope 1.0, AR5"
    factors: list[tuple[str, str, str, str]] = field(default_factory=list)  # (factor, value, unit, confidence)
    equation: str | None = None        # the equation the method cites, as its lineage records it
    # the same, as parts a reader's language can name (esgledger.cli_explain.render_explain)
    batch: dict | None = None          # {"kind": "import", "id": 3, "where": "facts.csv:125"}
    method_parts: tuple[str, str, str | None] | None = None  # (method, version, GWP set)


class WorkspaceLineage:
    """The lineage methods of a workspace; they read ``self.access``, ``self.store`` and
    ``self.value`` of the workspace."""

    def explain(self, indicator: str, entity: str, period: str, dims: str = "",
                basis: str | None = None) -> ExplainNode | None:
        """The lineage tree of a value, down to the imported rows."""
        f = self.value(entity, indicator, period, dims, basis)
        if f is None:
            return None
        return self._explain(f, None, None, depth=0)

    def _explain(self, f: FactRecord, role, weight, depth: int) -> ExplainNode:
        batch = self.access.batch(f.batch) if f.batch else None
        source = None
        if batch:
            where = f"{Path(batch['source']).name}:{f.location}" if batch["kind"] == "import" and f.location \
                else (batch["source"] or batch["kind"])
            source = f"{batch['kind']} #{batch['id']} {where}"
        node = ExplainNode(f, role, weight, source)
        if batch:
            node.batch = {"kind": batch["kind"], "id": batch["id"], "where": where}
        if f.status == "calculated":
            node.method, node.factors, node.method_parts, node.equation = self._method_and_factors(f.id)
        if depth < 40:
            for inp, r, w in self.access.inputs_of(f.id):
                node.children.append(self._explain(inp, r, w, depth + 1))
        return node

    def _method_and_factors(self, fact_id: int):
        from sqlalchemy import select

        from esgledger.store import schema as S

        with self.store.engine.connect() as conn:
            m = conn.execute(select(S.fact_method).where(S.fact_method.c.fact_id == fact_id)).first()
            fs = conn.execute(select(S.fact_factor.c.factor_key, S.fact_factor.c.value, S.fact_factor.c.unit,
                                     S.fact_factor.c.confidence).where(S.fact_factor.c.fact_id == fact_id)
                              .order_by(S.fact_factor.c.pos)).all()
        method = None if m is None else f"{m.method} {m.version}" + (f", {m.gwp_set}" if m.gwp_set else "")
        parts = None if m is None else (m.method, m.version, m.gwp_set or None)
        try:
            equation = json.loads(m.detail).get("equation") if m is not None and m.detail else None
        except (ValueError, AttributeError):  # a detail not written by esgledger
            equation = None
        return method, [tuple(r) for r in fs], parts, equation

