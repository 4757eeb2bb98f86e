"""The entity tree as a period sees it, for consolidation: the period's bounds, each link's
weights (pro-rated by days under control or equity, or on the period's last day for a stock),
the corrections where links at two levels of one path change inside the period, and the order
nodes are consolidated in. The functions, and :class:`_Structure`, the part of the run that
works them out once (a mixin of :class:`~esgledger.calc.consolidate.run.Consolidation`)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal  # (the examples use it)
from fractions import Fraction

from esgledger.model.period import Period
from esgledger.model.tree import EntityTree


def period_bounds(p: Period) -> tuple[dt.date, dt.date]:
    if p.kind == "year":
        return dt.date(p.year, 1, 1), dt.date(p.year + 1, 1, 1)
    months = p.months()
    start = dt.date(p.year, months[0], 1)
    end_m = months[-1] + 1
    end = dt.date(p.year + (end_m > 12), (end_m - 1) % 12 + 1, 1)
    return start, end


def membership_weights(tree: EntityTree, child: str, parent: str, start: dt.date, end: dt.date
                       ) -> tuple[Fraction, Fraction]:
    """(operational-control weight, equity-share weight) of ``child`` under ``parent`` for the
    period [start, end): each membership of the pair counts for the days it was in force, at
    its own terms, so a change of share or of control inside the period is pro-rated by days
    like a membership that starts or ends there. Control: the days under control / the
    period's days; equity: Σ days × share / the period's days. Exact rationals: 182/366 of a
    year stays 91/183, never a rounded decimal.

    >>> from esgledger.model.types import EntityRecord, Membership
    >>> t = EntityTree.build([EntityRecord("G", "集团", "Group", "group", "holding"),
    ...     EntityRecord("P", "厂", "Plant", "site", "smelter")],
    ...     [Membership("P", "G", Decimal(100), True, None, dt.date(2024, 7, 1)),
    ...      Membership("P", "G", Decimal(40), False, dt.date(2024, 7, 1), None)])[0]
    >>> membership_weights(t, "P", "G", dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    (Fraction(91, 183), Fraction(213, 305))
    """
    days = (end - start).days
    if not days:
        return Fraction(0), Fraction(0)
    control_days = 0
    share_days = Fraction(0)
    for m in tree.memberships.get(child, []):
        if m.parent != parent:
            continue
        a = max(start, m.valid_from or start)
        b = min(end, m.valid_to or end)
        if b > a:
            control_days += (b - a).days if m.operational_control else 0
            share_days += (b - a).days * Fraction(m.equity_share) / 100
    return Fraction(control_days, days), share_days / days


def period_end_weights(tree: EntityTree, child: str, parent: str, last_day: dt.date
                       ) -> tuple[Fraction, Fraction]:
    """(operational-control weight, equity-share weight) of ``child`` under ``parent`` for a
    stock measured on ``last_day`` (the period's last day): the membership in force that day,
    whole (1, or 0 without control) and at its equity share; (0, 0) if none is.

    >>> from esgledger.model.types import EntityRecord, Membership
    >>> t = EntityTree.build([EntityRecord("G", "集团", "Group", "group", "holding"),
    ...     EntityRecord("P", "厂", "Plant", "site", "smelter")],
    ...     [Membership("P", "G", Decimal(100), True, None, dt.date(2024, 7, 1)),
    ...      Membership("P", "G", Decimal(40), False, dt.date(2024, 7, 1), None)])[0]
    >>> period_end_weights(t, "P", "G", dt.date(2024, 12, 31))
    (Fraction(0, 1), Fraction(2, 5))
    """
    for m in tree.memberships.get(child, []):
        if m.parent == parent and m.active_on(last_day):
            return Fraction(int(m.operational_control)), Fraction(m.equity_share) / 100
    return Fraction(0), Fraction(0)


def structure_segments(tree: EntityTree, start: dt.date, end: dt.date
                       ) -> list[tuple[int, dict[str, list[tuple[str, Fraction, Fraction]]]]]:
    """The period [start, end) cut wherever a membership starts or ends inside it: for each
    piece, its days and the links in force throughout it, by parent: (child, control weight
    1 or 0, equity share as a fraction)."""
    cuts = {start, end}
    for ms in tree.memberships.values():
        for m in ms:
            for d in (m.valid_from, m.valid_to):
                if d is not None and start < d < end:
                    cuts.add(d)
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        kids: dict[str, list[tuple[str, Fraction, Fraction]]] = {}
        for child, ms in sorted(tree.memberships.items()):
            for m in ms:
                if m.parent is not None and m.active_on(a):
                    kids.setdefault(m.parent, []).append(
                        (child, Fraction(int(m.operational_control)), Fraction(m.equity_share) / 100))
        out.append(((b - a).days, kids))
    return out


def _descendant_weights(node: str, children) -> dict[str, Fraction]:
    """Σ over the paths from ``node`` down to each descendant of the product of the links'
    weights (``children(n)``: n's children with their weights)."""
    out: dict[str, Fraction] = {}
    stack = [(node, Fraction(1))]
    while stack:
        n, w = stack.pop()
        for ch, cw in children(n):
            c = w * cw
            if c:
                out[ch] = out.get(ch, Fraction(0)) + c
                stack.append((ch, c))
    return out


class _Structure:
    """Consolidation's view of the tree for its period."""

    def _exists(self, code: str) -> bool:
        ms = self.tree.memberships.get(code, [])
        return not ms or any((m.valid_from or self.start) < self.end and (m.valid_to or self.end) > self.start
                             for m in ms)

    def _children(self, code: str) -> list[tuple[str, Fraction]]:
        return self.children_of.get(code, [])

    def _find_children(self, code: str) -> list[tuple[str, Fraction]]:
        out = []
        for child, ms in self.tree.memberships.items():
            if not any(m.parent == code for m in ms):
                continue
            control, equity = membership_weights(self.tree, child, code, self.start, self.end)
            w = control if self.approach == "control" else equity
            if w != 0:
                out.append((child, w))
        return sorted(out)

    def _find_children_at_end(self, code: str) -> list[tuple[str, Fraction]]:
        out = []
        for child, ms in self.tree.memberships.items():
            if not any(m.parent == code for m in ms):
                continue
            control, equity = period_end_weights(self.tree, child, code, self.last_day)
            w = control if self.approach == "control" else equity
            if w != 0:
                out.append((child, w))
        return sorted(out)

    def _is_stock(self, code: str) -> bool:
        ind = self.lib.indicators.get(code)
        return ind is not None and ind.measured_at == "period_end"

    def _structure_corrections(self) -> dict[str, list[tuple[str, Fraction]]]:
        """Consolidating level by level weights a descendant by the product of each link's
        weight for the period. Where links at two levels of one path both change inside the
        period, that is not the share the node held: 100 % of a holding until 1 July, 50 %
        after, with the holding taking a plant on 1 July, is 50 % of the plant for 184 days
        (184/366 × 0.5), not (274/366) × (184/366). The share held is the weight of the path
        on each day, averaged over the period (the membership weights on each piece of the
        period cut at every change). For each node, the difference for each descendant whose
        share differs: the consolidation adds the descendant's own value × that difference
        (lineage role ``structure:<descendant>``), so a node's value counts each descendant at
        exactly the share held day by day."""
        segments = structure_segments(self.tree, self.start, self.end)
        if len(segments) < 2:
            return {}
        days = (self.end - self.start).days
        pick = 1 if self.approach == "control" else 2
        out: dict[str, list[tuple[str, Fraction]]] = {}
        for node in sorted(self.tree.entities):
            if not self.children_of.get(node):
                continue
            exact: dict[str, Fraction] = {}
            for n_days, kids in segments:
                for d, w in _descendant_weights(node, lambda n, k=kids: [(c[0], c[pick]) for c in k.get(n, ())]).items():
                    exact[d] = exact.get(d, Fraction(0)) + w * Fraction(n_days, days)
            level = _descendant_weights(node, self._children)
            diff = [(d, exact.get(d, Fraction(0)) - level.get(d, Fraction(0))) for d in sorted(set(exact) | set(level))]
            diff = [(d, w) for d, w in diff if w != 0]
            if diff:
                out[node] = diff
        return out

    def _post_order(self) -> list[str]:
        order: list[str] = []
        seen: set[str] = set()

        def visit(c: str) -> None:
            if c in seen:
                return
            seen.add(c)
            for ch, _w in self._children(c):
                visit(ch)
            order.append(c)

        for c in sorted(self.tree.entities):
            visit(c)
        return order
