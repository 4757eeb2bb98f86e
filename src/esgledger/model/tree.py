"""The entity tree: group → company → site → unit, with dated membership.

An entity may change parent over time (acquisitions, disposals, restructuring): each
:class:`Membership` has a validity interval ``[valid_from, valid_to)``. The tree at a date
is the set of memberships active on that date. Consolidation asks, for a node and a period,
which descendants count and with which share:

* operational control: 100 % of every descendant reached through controlled links;
* equity share: the product of equity shares along the path.

>>> t = EntityTree.build([
...     EntityRecord("G", "集团", "Group", "group", "holding"),
...     EntityRecord("C", "公司", "Company", "company", "smelter"),
...     EntityRecord("P", "厂", "Plant", "site", "smelter")],
...     [Membership("C", "G", Decimal(50)), Membership("P", "C", Decimal(60))])[0]
>>> t.effective_share("G", "P", dt.date(2024, 6, 30))
Decimal('30.00')
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.model.types import EntityRecord, Membership


@dataclass
class EntityTree:
    entities: dict[str, EntityRecord]
    memberships: dict[str, list[Membership]]  # entity -> its memberships, sorted by start

    @classmethod
    def build(cls, entities: Iterable[EntityRecord], memberships: Iterable[Membership],
              locations: dict[tuple[str, int], Location] | None = None,
              also_defined: Iterable[str] = ()) -> tuple["EntityTree | None", ProblemList]:
        """Check and build a tree. ``locations`` maps (entity, nth membership) to where it was
        read, so problems name the file and line. ``also_defined``: codes the file defines in
        rows with errors of their own (reported already), which a parent may name without
        being unknown. Every check runs in the same pass: a cycle among the memberships that
        are otherwise valid is named along with the other errors, not only once they are fixed."""
        problems = ProblemList()
        locations = locations or {}
        ents = {e.code: e for e in entities}
        by_entity: dict[str, list[Membership]] = {}
        for m in memberships:
            by_entity.setdefault(m.entity, []).append(m)

        def loc(code: str, i: int = 0) -> Location:
            return locations.get((code, i)) or Location(field=code)

        for code, ms in by_entity.items():
            for i, m in enumerate(ms):
                if m.parent is not None and m.parent not in ents and m.parent not in also_defined:
                    problems.append(Problem("ESG-ENT-002", loc(code, i), {"entity": code, "found": m.parent}))
                if not (Decimal(0) <= m.equity_share <= Decimal(100)):
                    problems.append(Problem("ESG-ENT-003", loc(code, i),
                                            {"entity": code, "found": f"{m.equity_share} %"}))
                if m.valid_from and m.valid_to and m.valid_to <= m.valid_from:
                    problems.append(Problem("ESG-ENT-005", loc(code, i), {
                        "entity": code, "field": "valid_to", "expected": Bilingual(f"晚于 {m.valid_from} 的日期", f"a date after {m.valid_from}"),
                        "found": str(m.valid_to)}))
            for i in range(len(ms)):
                for j in range(i + 1, len(ms)):
                    if ms[i].overlaps(ms[j]):
                        problems.append(Problem("ESG-ENT-004", loc(code, j), {
                            "entity": code,
                            "found": f"{_span(ms[i])} / {_span(ms[j])}"}))
        for code in ents:
            by_entity.setdefault(code, [])
        tree = cls(ents, {k: sorted(v, key=lambda m: m.valid_from or dt.date.min)
                          for k, v in by_entity.items()})
        # cycles among the links that are otherwise valid (a known parent, a period that ends
        # after it starts); a share out of range or an overlap does not change where a link goes
        linked = cls(ents, {k: [m for m in ms if (m.parent is None or m.parent in ents)
                                and not (m.valid_from and m.valid_to and m.valid_to <= m.valid_from)]
                            for k, ms in tree.memberships.items()})
        problems.extend(linked._cycles(loc))
        return (None if problems.errors else tree), problems

    def _cycles(self, loc) -> list[Problem]:
        out = []
        reported: set[frozenset[str]] = set()
        for code, ms in self.memberships.items():
            for m in ms:
                # follow parents through any membership that overlaps this one in time
                seen = [code]
                cur = m
                while cur is not None and cur.parent is not None:
                    if cur.parent in seen:
                        ring = frozenset(seen[seen.index(cur.parent):])
                        if ring not in reported:
                            reported.add(ring)
                            out.append(Problem("ESG-ENT-001", loc(code), {
                                "entity": code, "found": " -> ".join(seen + [cur.parent])}))
                        break
                    seen.append(cur.parent)
                    nxt = [p for p in self.memberships.get(cur.parent, []) if p.overlaps(m)]
                    cur = nxt[0] if nxt else None
        return out

    # -- queries ---------------------------------------------------------------------------
    def membership_on(self, code: str, day: dt.date) -> Membership | None:
        for m in self.memberships.get(code, []):
            if m.active_on(day):
                return m
        return None

    def parent_on(self, code: str, day: dt.date) -> str | None:
        m = self.membership_on(code, day)
        return m.parent if m else None

    def inherited_attr(self, code: str, name: str) -> str | None:
        """The entity's attribute ``name``, else its nearest ancestor's (each by its latest
        membership): a company's ``cell_technology`` or ``captive_plant`` covers its units."""
        return next((v for c in self.chain_on(code) if (v := self.entities[c].attrs.get(name))), None)

    def chain_on(self, code: str, day: dt.date | None = None) -> tuple[str, ...]:
        """The entity and its parents on ``day``, nearest first; each entity that is no member
        on that day (or with no ``day``) by its latest membership."""
        out: list[str] = []
        cur: str | None = code
        while cur is not None and cur not in out:
            out.append(cur)
            ms = self.memberships.get(cur) or []
            m = (self.membership_on(cur, day) if day is not None else None) or (ms[-1] if ms else None)
            cur = m.parent if m is not None else None
        return tuple(out)

    def exists_on(self, code: str, day: dt.date) -> bool:
        ms = self.memberships.get(code, [])
        return not ms or any(m.active_on(day) for m in ms)

    def children_on(self, code: str, day: dt.date) -> list[str]:
        return [c for c, ms in self.memberships.items()
                for m in ms if m.parent == code and m.active_on(day)]

    def roots(self) -> list[str]:
        return [c for c, ms in self.memberships.items() if not ms or all(m.parent is None for m in ms)]

    def descendants_on(self, code: str, day: dt.date) -> list[str]:
        out: list[str] = []
        stack = [code]
        while stack:
            cur = stack.pop()
            for ch in sorted(self.children_on(cur, day)):
                out.append(ch)
                stack.append(ch)
        return out

    def path_to(self, ancestor: str, code: str, day: dt.date) -> list[Membership] | None:
        """Memberships from ``code`` up to ``ancestor`` on ``day`` (None if not below it)."""
        path: list[Membership] = []
        cur = code
        while cur != ancestor:
            m = self.membership_on(cur, day)
            if m is None or m.parent is None:
                return None
            path.append(m)
            cur = m.parent
        return path

    def effective_share(self, ancestor: str, code: str, day: dt.date) -> Decimal | None:
        """Equity share (%) of ``ancestor`` in ``code``: the product along the path."""
        path = self.path_to(ancestor, code, day)
        if path is None:
            return None
        share = Decimal(100)
        for m in path:
            share = share * m.equity_share / Decimal(100)
        return share

    def controlled(self, ancestor: str, code: str, day: dt.date) -> bool:
        path = self.path_to(ancestor, code, day)
        return path is not None and all(m.operational_control for m in path)

    def depth_first(self, day: dt.date) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []

        def walk(code: str, depth: int) -> None:
            out.append((depth, code))
            for ch in sorted(self.children_on(code, day)):
                walk(ch, depth + 1)

        for r in sorted(c for c in self.entities if self.parent_on(c, day) is None and self.exists_on(c, day)):
            walk(r, 0)
        return out


def _span(m: Membership) -> str:
    return f"{m.valid_from or '…'}–{m.valid_to or '…'}"
