"""The results of one accounting view, as ``esgledger calc run --view`` prints them.

Every calculation run computes the three views together over the same activity data (they
share every input, and a ledger holding one view recomputed and another not would no longer
reconcile line by line, see :mod:`esgledger.calc.reconcile`). A view is a way of reading the
run's results:

* ``inventory`` (GHG Protocol / ISO 14064-1): Scope 1, Scope 2 location- and market-based and
  Scope 3 of every entity, consolidated at an entity with children by the run's approach;
* ``ets`` (the national ETS guidelines): each ETS enterprise's covered emissions and, for a
  smelter, its purchased electricity, an auxiliary item that is not counted, its production
  basis (liquid aluminium, t) and its emissions per tonne of liquid aluminium;
* ``product`` (cradle-to-gate inside the group): each product's emissions and footprint per
  tonne, at the reporting root.

Values are read from the ledger (as far as the signed-in user may read them), never recomputed
here, each with its incomplete mark where it leaves out a source it should include
(calc/incomplete.py), which the printed view references and says under the table.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from esgledger.calc.consolidate import period_bounds
from esgledger.calc.incomplete import is_incomplete
from esgledger.model.period import Period
from esgledger.model.types import Dims

VIEWS = ("inventory", "ets", "product")

INVENTORY_COLUMNS = (("scope1_emissions", ""), ("scope2_location", ""), ("scope2_market", ""),
                     ("scope3_emissions", ""))
ETS_COLUMNS = (("ets_emissions", ""), ("ets_aux_electricity", ""), ("ets_liquid_aluminium", ""),
               ("ets_intensity", ""))
PRODUCT_COLUMNS = (("product_emissions", None), ("product_footprint", None))  # dims: the row's product

GUIDELINE = {
    "smelter": {"zh": "铝冶炼行业核算指南", "en": "aluminium smelting guideline"},
    "power_plant": {"zh": "发电行业核算指南", "en": "power generation guideline"},
}


@dataclass
class ViewRow:
    """One line of a view: who (an entity or a product), what kind of line, its values by
    indicator (None where the ledger has none), and the incomplete mark of each value that has
    one (the stored, language-neutral form: ``incomplete: V/pfc (ESG-CALC-005)``)."""

    key: str
    label: str
    values: dict[str, Decimal | None] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)


@dataclass
class ViewTable:
    view: str
    period: str
    basis: str
    columns: tuple[str, ...]
    rows: list[ViewRow] = field(default_factory=list)


def view_table(ws, period: str, view: str, approach: str | None = None, lang: str = "en") -> ViewTable:
    """The lines of ``view`` for ``period`` from the ledger's current calculated facts."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}")
    lang = lang if lang in ("zh", "en") else "en"
    approach = approach or ws.approach
    tree = ws.tree

    def name(code: str) -> str:
        return tree.entities[code].name(lang) or code

    wanted = {i for cols in (INVENTORY_COLUMNS, ETS_COLUMNS, PRODUCT_COLUMNS) for i, _d in cols}
    ledger = {(f.entity, f.indicator, f.dims, f.basis): f  # one read of the period
              for f in ws.access.iter_current(period=period, indicator=sorted(wanted), basis=None)}

    def value(entity: str, indicator: str, dims: str, basis: str) -> Decimal | None:
        f = ledger.get((entity, indicator, dims, basis))
        return None if f is None else Decimal(f.value)

    def marks(entity: str, columns, basis: str, dims: str | None = None) -> dict[str, str]:
        """The incomplete marks of the row's values (a calculated figure's comment)."""
        out = {}
        for i, d in columns:
            f = ledger.get((entity, i, d if dims is None else dims, basis))
            if f is not None and f.status == "calculated" and is_incomplete(f.comment):
                out[i] = f.comment
        return out

    if view == "inventory":
        table = ViewTable(view, period, approach, tuple(i for i, _d in INVENTORY_COLUMNS))
        parents = {m.parent for ms in tree.memberships.values() for m in ms if m.parent}
        for code in _entity_order(tree, period):
            basis = approach if code in parents else "own"
            vals = {i: value(code, i, d, basis) for i, d in INVENTORY_COLUMNS}
            if any(v is not None for v in vals.values()):
                table.rows.append(ViewRow(code, name(code), vals, marks(code, INVENTORY_COLUMNS, basis)))
        return table
    if view == "ets":
        table = ViewTable(view, period, "own", tuple(i for i, _d in ETS_COLUMNS))
        for code in sorted(tree.entities):
            vals = {i: value(code, i, d, "own") for i, d in ETS_COLUMNS}
            if vals["ets_emissions"] is None:
                continue
            guideline = GUIDELINE.get(tree.entities[code].process_type, {}).get(lang, "")
            table.rows.append(ViewRow(code, f"{name(code)} ({guideline})" if guideline else name(code), vals,
                                      marks(code, ETS_COLUMNS, "own")))
        return table
    root = ws.root()
    table = ViewTable(view, period, "own", tuple(i for i, _d in PRODUCT_COLUMNS))
    products = sorted({dict(Dims.parse(d)).get("product", "")
                       for e, i, d, b in ledger if (e, i, b) == (root, "product_footprint", "own")})
    for product in products:
        dims = f"product={product}"
        table.rows.append(ViewRow(product, ws.library.dimension_member_label("product", product, lang),
                                  {i: value(root, i, dims, "own") for i, _d in PRODUCT_COLUMNS},
                                  marks(root, PRODUCT_COLUMNS, "own", dims)))
    return table


def _entity_order(tree, period: str) -> list[str]:
    """The tree from its roots down as it stands on the period's last day, then any entity that
    left it during the period (in code order)."""
    last = period_bounds(Period.parse(period))[1] - dt.timedelta(days=1)
    order = [code for _depth, code in tree.depth_first(last)]
    return order + sorted(set(tree.entities) - set(order))


__all__ = ["VIEWS", "ViewRow", "ViewTable", "view_table"]
