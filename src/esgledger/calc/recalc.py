"""Recalculating a period: the years of monthly indicators from their months, the methodology
run (GHG and energy), then derived indicators and consolidation, in one transaction — in full,
or only what one changed input reaches.

A full run reads the period's current facts, computes everything in memory and appends only
the calculated facts whose value changed. It also leaves its working state behind (every
entity's emission sources, the captive plant's factor, every consolidated and formula value,
which fact each one is in the ledger) for the process that ran it. The next run of the same
period and approach, with the same library, tree, factor sets and GWP set, reads only the facts
appended since (the ledger is append-only, so fact ids say what is new) and recomputes only
what those reach:

* a month of a monthly indicator (a year's run reads the year's months too): the year made
  from its months again (calc/months.py), which then counts as a changed fact of the year
  (where only approved data feeds calculations, the key's months as the store gives them);
* an activity fact of one entity: that entity's sources and its inventory, Scope 2/3 and
  energy facts; if the entity is a captive plant, its factor per MWh and the product view
  that passes it on to the units it supplies (calc/captive.py); the ETS enterprise it belongs
  to; the product view if it reads the entity;
* then, for every own value that moved (the input, or a methodology result), the entity's
  formulas and, up its chain of parents, the consolidated values of those keys, the weighted
  means they weight and the formulas that read them.

What a recomputed part produced before and cannot produce now (an input changed so that its
method cannot run, e.g. an output of 0 under a per-tonne equation) is withdrawn, with
ESG-CALC-007, and so are the consolidated and formula values that then have nothing left to
add up or divide.

The result equals a full recalculation (tests/calc/test_recalc.py compares them fact by fact on
SQLite and PostgreSQL). Anything the kept state cannot vouch for — calculated facts appended by
another run, a withdrawn fact, a different library, tree, factor sets or GWP set, a new process —
means a full run (which withdraws the calculated values it no longer produces). The state is
kept per store engine and lives as long as it.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from esgledger.calc.consolidate import APPROACHES, Consolidation, RunResult
from esgledger.calc._rows import facts_after, insert_batch, insert_rows
from esgledger.calc.ghg import GhgRun
from esgledger.calc.months import MonthlyYear, make_years
from esgledger.model.period import Period
from esgledger.model.types import WITHDRAWN, FactRecord
from esgledger.store import schema as S
from esgledger.store.ledger import Store, batch_fact_ids, gc_paused, max_fact_id, now_iso, record_select


@dataclass
class PeriodState:
    """What the last run of one (period, approach) computed, and how far into the ledger it
    has read (``watermark``: the highest fact id it accounts for)."""

    period: str
    approach: str
    note: str | None
    gwp_set: str
    library: object
    tree: object
    factors: object
    ghg: GhgRun
    cons: Consolidation
    watermark: int
    batches: set[int] = field(default_factory=set)
    revisions: dict[tuple, int] = field(default_factory=dict)  # the latest revision of each key
    months: MonthlyYear | None = None  # the months of the year's monthly indicators (calc/months.py)


_STATES: "weakref.WeakKeyDictionary[object, dict[tuple[str, str], PeriodState]]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def forget(store=None) -> None:
    """Drop the kept state (of one store, or of all): the next run is a full one."""
    with _LOCK:
        if store is None:
            _STATES.clear()
        else:
            _STATES.pop(store.engine, None)


def recalculate(store, library, tree, factors, period: str, approach: str = "control", *,
                gwp_set: str = "AR5", full: bool = False, author: str | None = None,
                note: str | None = None) -> RunResult:
    """Run the period: incremental where a kept state allows it, else (or with ``full``) a
    full recalculation. ``note`` (the library, tree and factor fingerprints) is kept on the
    run's batches; a different note also means a full run."""
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {APPROACHES}")
    period = str(Period.parse(period))
    key = (period, approach)
    with _LOCK:
        states = _STATES.setdefault(store.engine, {})
        state = states.pop(key, None)  # taken out while it runs: a failed run leaves none
    if full or state is None or (state.note, state.gwp_set) != (note, gwp_set) \
            or state.library is not library or state.tree is not tree or state.factors is not factors:
        res, state = _full(store, library, tree, factors, period, approach, gwp_set, author, note)
    else:
        try:
            res = _incremental(store, state, author)
        except IntegrityError:  # a revision the state took for the latest was not: start afresh
            res = None
        if res is None:  # the ledger holds calculations this state did not make
            res, state = _full(store, library, tree, factors, period, approach, gwp_set, author, note)
    with _LOCK:
        _STATES.setdefault(store.engine, {})[key] = state
    return res


class _Appender:
    """Appends a kept run's few calculated facts. The store's own append looks up the latest
    revision of every key of each indicator it writes (made for imports of many rows); the
    kept state knows the latest revision of each key it writes already (from the facts it read
    and every fact appended since), so a run of a few facts costs one insert. A revision that
    is not the latest after all is refused by the ledger's unique key, and the run fails whole
    (then :func:`recalculate` does a full run)."""

    def __init__(self, store, revisions: dict[tuple, int]):
        self.store = store
        self.revisions = revisions
        self.last_id = 0

    def __call__(self, conn, facts, *, kind, source, author, note, return_ids=True):
        batch_id = insert_batch(conn, kind=kind, source=source, author=author, created_at=now_iso(),
                                rows=len(facts), note=note)
        if not facts:
            return batch_id, []
        before = max_fact_id(conn)
        rows = []
        revisions = self.revisions
        for nf in facts:
            key = nf.key
            rev = revisions.get(key, 0) + 1
            revisions[key] = rev
            rows.append(nf[:12] + (rev, batch_id))
        insert_rows(conn, S.fact, rows, _FACT_COLS)
        ids = batch_fact_ids(conn, batch_id, before)
        self.last_id = max(self.last_id, *ids)
        insert_rows(conn, S.fact_input, [(fid, inp, role, weight)
                                         for fid, nf in zip(ids, facts) for inp, role, weight in nf.inputs],
                    _INPUT_COLS)
        return batch_id, ids


# NewFact's first twelve fields, then what the append adds
_FACT_COLS = ("entity", "indicator", "period", "dims", "value", "unit", "basis", "status", "value_entered",
              "unit_entered", "location", "comment", "revision", "batch_id")
_INPUT_COLS = ("fact_id", "input_fact_id", "role", "weight")


def _full(store, library, tree, factors, period, approach, gwp_set, author, note):
    # the cyclic collector paused (store.ledger.gc_paused): a full run builds tens of thousands
    # of small objects, most of them kept as the state, and every collection on the way would
    # walk all of them again (~45 % of a full run of a group of 4-8 copies of the demo's
    # companies, ~9 % of the demo's; bench/RESULTS.md)
    with gc_paused():
        return _full_run(store, library, tree, factors, period, approach, gwp_set, author, note)


def _full_run(store, library, tree, factors, period, approach, gwp_set, author, note):
    with store.writer.begin() as conn:
        store._lock_facts(conn)  # nothing lands between what the run reads and what it writes
        facts = list(store.iter_current(period=period, basis=["own", approach]))
        my = MonthlyYear(library, period)
        years = _years_from_months(store, conn, my, facts, library, author, note) if my.active else None
        ghg = GhgRun(store, library, tree, factors, period, gwp_set=gwp_set, author=author, note=note,
                     facts=[f for f in facts if f.basis == "own"])
        g = ghg.run(conn=conn)
        cons = Consolidation(store, library, tree, period, approach, author=author, note=note, facts=facts)
        for rec in g.records + g.withdrawn:  # results withdrawn take their value out
            cons.take(rec)
        res = cons.run(conn=conn)
        watermark = max_fact_id(conn)
    res.problems[:0] = g.problems
    res.ghg = g
    if years is not None:
        res.problems[:0] = years.problems
        res.from_months = len(years.written)
    revisions = {f.key: f.revision for f in facts}
    revisions.update({f.key: f.revision for f in g.records})
    revisions.update({f.key: f.revision for f in cons.existing.values()})
    revisions.update({f.key: f.revision for f in g.withdrawn + res.withdrawn})
    if years is not None:
        revisions.update({f.key: f.revision for f in years.written + years.withdrawn})
    state = PeriodState(period, approach, note, gwp_set, library, tree, factors, ghg, cons, watermark,
                        {b for b in (g.batch_id, res.batch_id, years and years.batch_id) if b is not None}, revisions,
                        my)
    return res, state


def _years_from_months(store, conn, my: MonthlyYear, facts: list, library, author, note):
    """Read the year's months of its monthly indicators into ``my``, make each year from them
    and put the years written in ``facts`` (in place of the year's fact they replace; a year
    withdrawn leaves). The result of :func:`make_years`."""
    for f in store.iter_current(period=list(my.month_periods), basis="own", indicator=sorted(my.codes)):
        my.take(f)
    at = {(f.entity, f.indicator, f.dims): i for i, f in enumerate(facts)
          if f.basis == "own" and f.indicator in my.codes}
    # a year an earlier run made is made again, or withdrawn if its months are gone
    keys = set(my.keys()) | {k for k, i in at.items() if facts[i].status == "calculated"}
    out = make_years(conn, my, keys, lambda k: facts[at[k]] if k in at else None, store._append,
                     lambda code: library[code].unit, author=author, note=note)
    for r in out.written:
        k = (r.entity, r.indicator, r.dims)
        if k in at:
            facts[at[k]] = r
        else:
            facts.append(r)
    gone = {at[(r.entity, r.indicator, r.dims)] for r in out.withdrawn}
    if gone:
        facts[:] = [f for i, f in enumerate(facts) if i not in gone]
    return out


def _incremental(store, state: PeriodState, author) -> RunResult | None:
    f = S.fact.c
    ghg, cons = state.ghg, state.cons
    ghg.author = cons.author = author
    plain = isinstance(store, Store)  # "current" = the latest revision (not: the latest approved)
    append = _Appender(store, state.revisions)
    with store.writer.begin() as conn:
        store._lock_facts(conn)
        my = state.months
        rows = facts_after(conn, state.watermark, state.period, my.month_periods if my.active else None)
        if rows is None:  # pragma: no cover - other dialects go through SQLAlchemy
            rows = conn.execute(record_select()
                                .where(f.id > state.watermark, f.period == state.period).order_by(f.id)).all()
        latest: dict[tuple[str, str, str], FactRecord] = {}
        month_keys: set[tuple[str, str, str]] = set()
        for row in rows:
            fr = FactRecord(*row)
            if fr.revision > state.revisions.get(fr.key, 0):
                state.revisions[fr.key] = fr.revision
            if fr.basis not in ("own", state.approach):
                continue
            if fr.status == WITHDRAWN:
                return None  # a value withdrawn: what was calculated from it goes too, in a full run
            if fr.period != state.period:  # a month of the year
                if plain:
                    key = my.take(fr)
                    if key is not None:
                        month_keys.add(key)
                elif fr.indicator in my.codes and fr.basis == "own":
                    month_keys.add((fr.entity, fr.indicator, fr.dims))  # its current months are read below
                continue
            if fr.basis != "own" or fr.status == "calculated":
                if fr.batch not in state.batches:
                    return None  # another run's calculations: this state cannot vouch for them
                continue
            latest[(fr.entity, fr.indicator, fr.dims)] = fr
        if latest and not plain:
            # the current facts of those keys as this store defines "current" (approved only)
            keys, latest = set(latest), {}
            for fr in store.iter_current(period=state.period, basis="own",
                                         entity=sorted({k[0] for k in keys}),
                                         indicator=sorted({k[1] for k in keys})):
                if (fr.entity, fr.indicator, fr.dims) in keys:
                    latest[(fr.entity, fr.indicator, fr.dims)] = fr
        if month_keys and not plain:
            # which revision of a month is current (approved) is the store's to say: the months of
            # those keys as it gives them now
            for k in month_keys:
                my.months[k] = {}
            for fr in store.iter_current(period=list(my.month_periods), basis="own",
                                         entity=sorted({k[0] for k in month_keys}),
                                         indicator=sorted({k[1] for k in month_keys})):
                if (fr.entity, fr.indicator, fr.dims) in month_keys:
                    my.take(fr)
        years = None
        if my.active:
            # the years whose months moved, and those entered as a year that their months make
            keys = month_keys | {k for k in latest if k[1] in my.codes and my.months.get(k)}
            if keys:
                years = make_years(conn, my, keys, lambda k: latest.get(k) or ghg.facts.get(k), append,
                                   lambda code: state.library[code].unit, author=author, note=state.note,
                                   may_withdraw=False)
                if years is None:
                    return None  # a year no longer made: withdrawn by a full run
                latest.update(((r.entity, r.indicator, r.dims), r) for r in years.written)
        changed: list[FactRecord] = []
        for k, fr in sorted(latest.items()):
            known = ghg.facts.get(k) or ghg.existing.get(k)
            own = cons.own.get(k)
            if (known.id if known is not None else None) != fr.id or (own is not None and own.fact_id != fr.id):
                changed.append(fr)
        ghg.append = cons.append = append
        try:
            g = ghg.update(changed, conn=conn)
            res = cons.update(changed + g.records + g.withdrawn, write=bool(changed), conn=conn)
        finally:
            ghg.append = cons.append = None
        state.watermark = max(state.watermark, append.last_id, *(r[-2] for r in rows)) if rows else \
            max(state.watermark, append.last_id)
    for b in (g.batch_id, res.batch_id, years and years.batch_id):
        if b is not None:
            state.batches.add(b)
    res.incremental = True
    res.problems[:0] = g.problems
    if years is not None:
        res.problems[:0] = years.problems
        res.from_months = len(years.written)
    res.ghg = g if g.outputs or g.batch_id is not None else None
    return res


__all__ = ["PeriodState", "forget", "recalculate"]
