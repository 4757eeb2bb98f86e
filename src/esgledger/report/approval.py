"""The mark of a figure that rests on data not yet approved (audit A5-L3).

A figure the reader sees (a KPI table cell, a figure of the report's narrative or of a
section's table, the value ``esgledger explain`` shows) is **unapproved** when an entered fact
it rests on is, as of now, not approved:

- an entered fact shown itself: its own status is draft, submitted or rejected (with
  ``report.inputs = all``: the report and the KPI table print what the calculations read, so
  with ``approved`` nothing they print is unapproved; ``explain`` shows the latest revision);
- a calculated or consolidated figure: an entered fact below it in the lineage
  (``fact_input``, walked down as :func:`figure_notes.walk_inputs` walks it) whose key's current
  revision, as the workspace's calculations read it, is draft, submitted or rejected. With
  ``report.inputs = all`` the current revision is the latest one; with ``report.inputs =
  approved`` it is the latest approved one, so no input of a calculated figure is unapproved.

It is judged by the key's current revision, not by the revision the lineage links to:
approving a value writes a new ``approved`` revision of it, and a calculation run writes only
values that changed, so a figure calculated from a submitted value keeps its link to that
revision after the value is approved. It is computed when the figure is read, never stored:
a status changes without a calculation run.

>>> from esgledger.library.loader import load_library
>>> p = Pending((("TLYX-P1", "employees", "2024", "", "own"), ("TLYX-P2", "employees", "2024", "", "own")))
>>> p.text("en", load_library(), "2024")
'Rests on data not yet approved: 2 facts, e.g. TLYX-P1 Employees.'
>>> p.text("zh", load_library(), "2024", sentence=False)
'所依据的数据尚未批准：2 条，例如 TLYX-P1 员工总人数'
>>> Pending(p.keys[1:]).text("en", load_library())
'Rests on data not yet approved: TLYX-P2 Employees (2024).'
>>> Pending((("NJTS", "employees", "2024", "age_band=lt30;gender=female", "own"),)).text("en", load_library(), "2024")
'Rests on data not yet approved: NJTS Employees (Under 30, Female).'
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select

from esgledger.model.types import FACT_STATUS_NAMES, WITHDRAWN, Dims

# the statuses of an entered value that is not approved (it may still be current)
UNAPPROVED = ("draft", "submitted", "rejected")
NOTE = {"zh": "所依据的数据尚未批准：{detail}", "en": "rests on data not yet approved: {detail}"}
# what they are: the one, else how many and the first
DETAIL = {"zh": "{n} 条，例如 {example}", "en": "{n} facts, e.g. {example}"}
# an entered value in ``esgledger explain``'s tree whose key's current revision is not approved
NOT_APPROVED = {"zh": "尚未批准（{status}）", "en": "not yet approved ({status})"}
_CHUNK = 5000  # ids per query: PostgreSQL takes at most 65,535 parameters

Key = tuple[str, str, str, str, str]  # (entity, indicator, period, dims, basis)


@dataclass(frozen=True)
class Pending:
    """The entered facts not yet approved that a figure rests on, by key, sorted; for an
    entered fact itself, ``status`` is its key's current status (draft, submitted, rejected)."""
    keys: tuple[Key, ...]
    status: str | None = None

    def example(self, lang: str, library, period: str | None = None) -> str:
        """The first of them as a reader names it: the entity's code, the indicator's name and,
        in brackets, its dimension members and its period when not the figure's own
        (``period``; None: always)."""
        entity, indicator, p, dims, _basis = self.keys[0]
        ind = library.get(indicator) if library is not None else None
        name = ind.name.get(lang) if ind is not None else indicator
        parts = []
        for k, v in Dims.parse(dims):
            parts.append(library.dimension_member_label(k, v, lang) if library is not None else v)
        if period is None or p != str(period):
            parts.append(p)
        if parts:
            name += f"（{'、'.join(parts)}）" if lang == "zh" else f" ({', '.join(parts)})"
        return f"{entity} {name}"

    def detail(self, lang: str, library, period: str | None = None) -> str:
        """``NJTS Employees`` for one fact; ``2 facts, e.g. NJTS Employees`` for more."""
        example = self.example(lang, library, period)
        return example if len(self.keys) == 1 else DETAIL[lang].format(n=len(self.keys), example=example)

    def text(self, lang: str, library, period: str | None = None, *, sentence: bool = True) -> str:
        """The note in ``lang``: a sentence (a footnote), or a phrase (``explain``'s brackets)."""
        lang = lang if lang in ("zh", "en") else "en"
        body = NOTE[lang].format(detail=self.detail(lang, library, period))
        if not sentence:
            return body
        return body + "。" if lang == "zh" else body[0].upper() + body[1:] + "."


def reads_approved_only(ws) -> bool:
    """The workspace's calculations read approved values only (``report.inputs``)."""
    return ws.inputs == "approved"


def pending_approval(store, fact_ids, *, approved_only: bool, every: bool = False,
                     max_depth: int = 12) -> dict[int, Pending]:
    """The facts among ``fact_ids`` that rest on data not yet approved (the module's rule),
    each with what it rests on; with ``every``, also every fact below them in the lineage (a
    calculated one judged as a figure, an entered one by its key's current revision). Facts
    that rest on none are left out."""
    from esgledger.report.figure_notes import leaves_below, walk_inputs
    from esgledger.store import schema as S

    fact_ids = set(fact_ids)
    if not fact_ids:
        return {}
    f = S.fact.c
    info: dict[int, tuple[Key, str]] = {}

    def read(conn, ids) -> None:
        for chunk in _chunks(ids):
            for r in conn.execute(select(f.id, f.entity, f.indicator, f.period, f.dims, f.basis, f.status)
                                  .where(f.id.in_(chunk))):
                info[r.id] = ((r.entity, r.indicator, r.period, r.dims or "", r.basis), r.status)

    with store.engine.connect() as conn:
        if approved_only:  # only a value shown itself can be unapproved: nothing below is read
            read(conn, fact_ids)
            return {i: Pending((key,), st) for i, (key, st) in info.items() if st in UNAPPROVED}
        children, _seen = walk_inputs(conn, fact_ids, max_depth, visit=lambda level: read(conn, level))
        entered = [i for i, (_k, st) in info.items() if st not in ("calculated", WITHDRAWN)]
        current = {i: info[i][1] for i in entered}
        current.update(_latest_status(conn, entered))
    leaves = {i: info[i][0] for i in entered if current[i] in UNAPPROVED}
    below = leaves_below(fact_ids, children, leaves, max_depth)
    return {i: Pending(tuple(sorted(keys)), current[i] if i in leaves else None) for i, keys in below.items()
            if keys and (every or i in fact_ids)}


def status_name(status: str, lang: str) -> str:
    """``not yet approved (submitted)`` / ``尚未批准（已提交）``."""
    return NOT_APPROVED[lang].format(status=FACT_STATUS_NAMES.get(status, {}).get(lang, status))


def _latest_status(conn, ids) -> dict[int, str | None]:
    """Facts among ``ids`` with a later revision of their key → the latest one's status (None
    when it withdraws the key: it has no current value)."""
    from esgledger.store import schema as S

    f, g = S.fact.alias("f"), S.fact.alias("g")
    same_key = and_(g.c.entity == f.c.entity, g.c.indicator == f.c.indicator, g.c.period == f.c.period,
                    g.c.dims == f.c.dims, g.c.basis == f.c.basis, g.c.revision > f.c.revision)
    latest: dict[int, tuple[int, str]] = {}
    for chunk in _chunks(ids):
        for r in conn.execute(select(f.c.id, g.c.revision, g.c.status).join(g, same_key).where(f.c.id.in_(chunk))):
            if r.id not in latest or r.revision > latest[r.id][0]:
                latest[r.id] = (r.revision, r.status)
    return {i: (None if st == WITHDRAWN else st) for i, (_rev, st) in latest.items()}


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


__all__ = ["DETAIL", "NOTE", "NOT_APPROVED", "Pending", "UNAPPROVED", "pending_approval",
           "reads_approved_only", "status_name"]
