"""Collection campaigns: which entity is asked for which indicators, and where each stands.

A campaign asks every entity of the tree for the input indicators that apply to it, for one
reporting year (monthly indicators month by month): those of its process type (an indicator's
``process_types`` in the library; empty: every process type) and of its level (the indicator's
``levels``, else its topic's; empty: every level — governance goes to the group and companies,
not to a potline). Formula and method indicators are computed (``calc run``), never asked. Each entity moves through

    not_started → in_progress → submitted → approved
                       ↑            │
                       └─ returned ←┘

and every move increments the entity's *version* and is recorded (``status_event``). All work
goes through a :class:`Desk`: one user's view of a workspace, whose store enforces access.

>>> desk = open_desk(ws)                                  # doctest: +SKIP
>>> c = open_campaign(desk, "2025", due="2026-03-31")     # doctest: +SKIP
>>> [(r.entity, r.status) for r in status_table(desk, c)][:2]   # doctest: +SKIP
[('GNBX', 'not_started'), ('JXTG', 'not_started')]
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from esgledger.library.loader import Library
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, ProblemsError, near_miss
from esgledger.model.period import Period
from esgledger.model.tree import EntityTree
from esgledger.model.types import ENTITY_STATUS_NAMES, WITHDRAWN, FactRecord
from esgledger.store import schema as S
from esgledger.store import schema_collect as C
from esgledger.store.access import ANONYMOUS, AccessDenied, ScopedStore, has_users, local_name
from esgledger.store.ledger import now_iso, record_select

ASKED_KINDS = ("input",)  # formula and method indicators are computed by `calc run`, never asked
OPEN_STATUSES = ("not_started", "in_progress", "returned")  # late when past due in these


def statuses_named(statuses: Iterable[str]) -> Bilingual:
    """Entity statuses as a message names them: 未开始、填报中或已退回 / not_started | in_progress |
    returned (the codes)."""
    statuses = list(statuses)
    zh = [ENTITY_STATUS_NAMES.get(s, {}).get("zh", s) for s in statuses]
    return Bilingual("、".join(zh[:-1]) + "或" + zh[-1] if len(zh) > 1 else "".join(zh), " | ".join(statuses))


def next_step(entity: str, status: str, allowed: Iterable[str]) -> Bilingual:
    """What to do when ``entity`` in ``status`` refuses an action that needs one of ``allowed``
    (the tail of ESG-COLLECT-008): an approved entity is reopened by a manager, a submitted one
    waits for review, one still being filled is submitted first; "" when none of these fits."""
    allowed = tuple(allowed)
    if status == "approved":
        return Bilingual(f"；如需修改，请联系主管运行 esgledger collect reopen {entity} 重新开启",
                         f"; to change it, a manager reopens it first: esgledger collect reopen {entity}")
    if status == "submitted":
        return Bilingual(f"；已提交的数据待主管审核：批准（esgledger collect approve {entity}）"
                         f"或退回（esgledger collect return {entity}）",
                         f"; it waits for review: a manager approves (esgledger collect approve {entity}) "
                         f"or returns it (esgledger collect return {entity})")
    if "submitted" in allowed:
        return Bilingual(f"；填报人提交（esgledger collect submit {entity}）后才能审核",
                         f"; it can be reviewed once it is submitted (esgledger collect submit {entity})")
    if allowed == ("approved",):
        return Bilingual("；该主体尚未批准，可直接填报，无需重新开启",
                         "; it is not approved, so values can be entered without reopening it")
    return Bilingual("", "")


@dataclass
class Desk:
    """One user's view of a workspace for data collection: the scoped store, the library,
    the entity tree and the evidence folder."""

    store: ScopedStore
    library: Library
    tree: EntityTree
    root: Path | None = None
    lang: str = "en"

    @property
    def user(self) -> str:
        return self.store.username

    @property
    def evidence_dir(self) -> Path:
        if self.root is None:
            raise ValueError("this desk has no workspace folder for evidence files")
        return self.root / "evidence"


def open_desk(ws, user: str | None = None, password: str | None = None, *,
              trusted: bool = False, scoped: ScopedStore | None = None) -> Desk:
    """A desk on workspace ``ws`` for ``user``.

    With a password the user signs in; ``trusted=True`` takes the user as already
    authenticated (a web session); ``scoped`` reuses a sign-in already made (the workspace's
    own ``ws.access``). A workspace without any user is single-user: with no ``user`` the local
    account works as its administrator."""
    store = ws.store
    if scoped is not None:
        if scoped.user.username == ANONYMOUS:
            raise AccessDenied(Problem("ESG-ACCESS-001", Location(field="user"),
                                       {"user": "(none given: use --user or ESGLEDGER_USER)"}))
        return Desk(scoped, ws.library, ws.tree, Path(ws.path), getattr(ws, "lang", "en"))
    if user is None:
        if has_users(store):
            raise AccessDenied(Problem("ESG-ACCESS-001", Location(field="user"),
                                       {"user": "(none given: use --user or ESGLEDGER_USER)"}))
        scoped = ScopedStore.system(store, local_name())
    elif trusted:
        scoped = ScopedStore.as_user(store, user)
    else:
        scoped = ScopedStore.login(store, user, password or "")
    return Desk(scoped, ws.library, ws.tree, Path(ws.path), getattr(ws, "lang", "en"))


@dataclass(frozen=True)
class Campaign:
    id: int
    period: str
    status: str
    due: str | None
    opened_by: str | None
    opened_at: str
    closed_at: str | None = None
    secret: str = field(default="", repr=False)

    def label(self) -> str:
        return f"campaign #{self.id} ({self.period})"

    def named(self) -> Bilingual:
        """The campaign as a message names it, in the language the message is read in."""
        return Bilingual(f"收集任务 #{self.id}（{self.period}）", self.label())

    def periods(self) -> list[str]:
        """The year and its twelve months: the periods of the campaign's facts."""
        y = Period.parse(self.period).year
        return [str(y)] + [f"{y}-{m:02d}" for m in range(1, 13)]

    def previous(self, period: str) -> str:
        return str(Period.parse(period).previous_year())


def _campaign(row) -> Campaign:
    return Campaign(row.id, row.period, row.status, row.due, row.opened_by, row.opened_at,
                    row.closed_at, row.secret)


# -- which indicators apply --------------------------------------------------------------
def asks(library: Library, code: str, process_type: str, level: str | None = None) -> bool:
    """Whether a campaign asks an entity of ``process_type`` and ``level`` for ``code``: an
    input indicator of its process type (``process_types``, empty: all) and of its level
    (:meth:`Library.levels_of`, empty: all; ``level=None``: any)."""
    ind = library.get(code)
    if ind is None or ind.kind not in ASKED_KINDS:
        return False
    if ind.process_types and process_type not in ind.process_types:
        return False
    levels = library.levels_of(code)
    return level is None or not levels or level in levels


def applicable_indicators(library: Library, process_type: str, level: str | None = None) -> list[str]:
    """Input indicators asked of an entity of ``process_type`` and ``level``, in library order."""
    return [code for code in library.indicators if asks(library, code, process_type, level)]


def _entities_in(tree: EntityTree, period: str) -> list[str]:
    p = Period.parse(period)
    start, end = dt.date(p.year, 1, 1), dt.date(p.year, 12, 31)
    return sorted(c for c in tree.entities if tree.exists_on(c, start) or tree.exists_on(c, end))


# -- campaigns ---------------------------------------------------------------------------
def open_campaign(desk: Desk, period: str, *, due: str | None = None,
                  entities: Iterable[str] | None = None, note: str | None = None,
                  secret: str | None = None) -> Campaign:
    """Open a campaign for a year: assign to each entity the indicators of its process type.

    Raises :class:`ProblemsError` (ESG-COLLECT-011) when one is already open for the year.
    ``secret`` (the key of the workbooks' checksums; random by default) is given only to
    rebuild a campaign reproducibly, as the test fixtures do."""
    desk.store.require("campaign", target=f"open a campaign for {period}")
    period = str(Period.parse(period).year_period())
    if due is not None:
        due = dt.date.fromisoformat(due).isoformat()
    chosen = list(entities) if entities is not None else _entities_in(desk.tree, period)
    unknown = [e for e in chosen if e not in desk.tree.entities]
    if unknown:
        raise ProblemsError([Problem("ESG-IMPORT-003", Location(field="entities"), {
            "found": e, "near": near_miss(e, {c: c for c in desk.tree.entities})})
                             for e in unknown])
    now = now_iso()
    with desk.store.writing() as tx:
        conn = tx.conn
        existing = conn.execute(select(C.campaign).where(
            C.campaign.c.period == period, C.campaign.c.status == "open")).first()
        if existing is not None:
            raise ProblemsError([Problem("ESG-COLLECT-011", Location(field="period"),
                                         {"found": period, "expected": f"#{existing.id}"})])
        cid = conn.execute(C.campaign.insert().values(
            period=period, status="open", due=due, secret=secret or secrets.token_hex(32),
            opened_by=desk.user, opened_at=now, note=note)).inserted_primary_key[0]
        rows, statuses, events = [], [], []
        for code in chosen:
            e = desk.tree.entities[code]
            rows += [dict(campaign_id=cid, entity=code, indicator=i)
                     for i in applicable_indicators(desk.library, e.process_type, e.level)]
            statuses.append(dict(campaign_id=cid, entity=code, status="not_started", version=1,
                                 updated_at=now, updated_by=desk.user))
            events.append(dict(campaign_id=cid, entity=code, old_status=None, new_status="not_started",
                               version=1, author=desk.user, at=now, note="campaign opened"))
        if rows:
            conn.execute(C.assignment.insert(), rows)
        if statuses:
            conn.execute(C.entity_status.insert(), statuses)
            conn.execute(C.status_event.insert(), events)
        row = conn.execute(select(C.campaign).where(C.campaign.c.id == cid)).one()
    return _campaign(row)


def close_campaign(desk: Desk, campaign: Campaign) -> Campaign:
    desk.store.require("campaign", target=f"close {campaign.label()}")
    with desk.store.writing() as tx:
        tx.conn.execute(C.campaign.update().where(C.campaign.c.id == campaign.id)
                        .values(status="closed", closed_at=now_iso()))
        row = tx.conn.execute(select(C.campaign).where(C.campaign.c.id == campaign.id)).one()
    return _campaign(row)


def list_campaigns(desk: Desk) -> list[Campaign]:
    with desk.store.reading() as conn:
        return [_campaign(r) for r in conn.execute(select(C.campaign).order_by(C.campaign.c.id))]


def get_campaign(desk: Desk, period: str | None = None, *, campaign_id: int | None = None,
                 open_only: bool = True) -> Campaign:
    """The campaign by id, or the open campaign of ``period`` (or the only open one)."""
    q = select(C.campaign)
    if campaign_id is not None:
        q = q.where(C.campaign.c.id == campaign_id)
    else:
        if period is not None:
            q = q.where(C.campaign.c.period == str(Period.parse(period).year_period()))
        if open_only:
            q = q.where(C.campaign.c.status == "open")
    with desk.store.reading() as conn:
        rows = conn.execute(q.order_by(C.campaign.c.id.desc())).all()
    if not rows or (campaign_id is None and period is None and len(rows) > 1):
        if campaign_id is not None:
            what = Bilingual(f"收集任务 #{campaign_id} 不存在或已关闭", f"campaign #{campaign_id} does not exist or is closed")
        elif period is not None:
            what = Bilingual(f"{period} 年度的收集任务未开启或已关闭", f"the campaign for {period} was not opened or is closed")
        elif rows:
            shown = [_campaign(r).named() for r in reversed(rows)]
            what = Bilingual("有多个期间的收集任务在进行中（" + "、".join(c.zh for c in shown) + "）：请用 --period 指定一个",
                             "campaigns of several periods are open (" + ", ".join(c.en for c in shown)
                             + "): choose one with --period")
            raise ProblemsError([Problem("ESG-COLLECT-010", Location(field="period"), {"found": what, "open": ""})])
        else:
            what = Bilingual("目前没有任何期间的收集任务在进行中", "none is open for any period")
        raise ProblemsError([Problem("ESG-COLLECT-010", Location(field="period"), {
            "found": what, "open": open_now(desk)})])
    return _campaign(rows[0])


def open_now(desk: Desk) -> Bilingual | str:
    """"; the open one is campaign #2 (2025)" for a message saying a campaign is not open
    (each open one, newest first), or "" when none is."""
    with desk.store.reading() as conn:
        rows = conn.execute(select(C.campaign).where(C.campaign.c.status == "open")
                            .order_by(C.campaign.c.id.desc())).all()
    if not rows:
        return ""
    shown = [_campaign(r).named() for r in rows]
    return Bilingual("；当前进行中的是" + "、".join(c.zh for c in shown),
                     ("; the open one is " if len(shown) == 1 else "; the open ones are ")
                     + ", ".join(c.en for c in shown))


def still_asked(desk: Desk, entity: str, codes: Iterable[str]) -> list[str]:
    """Of a campaign's assignments of ``entity``, those the library still asks of it
    (:func:`asks`): a campaign opened before an indicator became computed, or before its
    levels were declared, no longer asks it (a potline for board meetings)."""
    e = desk.tree.entities.get(entity)
    if e is None:
        return [c for c in codes if c in desk.library]
    return [c for c in codes if asks(desk.library, c, e.process_type, e.level)]


def assigned_indicators(desk: Desk, campaign: Campaign, entity: str) -> list[str]:
    """The indicators asked of ``entity``, in library order: its assignments in the campaign
    that the library still asks of it (:func:`still_asked`)."""
    desk.store.require("read", entity)
    with desk.store.reading() as conn:
        got = {r[0] for r in conn.execute(select(C.assignment.c.indicator).where(
            C.assignment.c.campaign_id == campaign.id, C.assignment.c.entity == entity))}
    order = {c: i for i, c in enumerate(desk.library.indicators)}
    return sorted(still_asked(desk, entity, got), key=lambda c: (order.get(c, len(order)), c))


def campaign_entities(desk: Desk, campaign: Campaign) -> list[str]:
    """The entities of the campaign that the user may read."""
    scope = desk.store.scope("read")
    with desk.store.reading() as conn:
        ents = [r[0] for r in conn.execute(select(C.entity_status.c.entity).where(
            C.entity_status.c.campaign_id == campaign.id).order_by(C.entity_status.c.entity))]
    return [e for e in ents if scope is None or e in scope]


# -- status ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusRow:
    entity: str
    name: str
    process_type: str
    status: str
    version: int
    assigned: int
    filled: int
    updated_by: str | None
    updated_at: str
    due: str | None
    late: bool
    waiting_review: bool


def entity_status(conn: Connection, campaign_id: int, entity: str) -> tuple[str, int] | None:
    r = conn.execute(select(C.entity_status.c.status, C.entity_status.c.version).where(
        C.entity_status.c.campaign_id == campaign_id, C.entity_status.c.entity == entity)).first()
    return (r[0], r[1]) if r else None


def set_status(conn: Connection, campaign: Campaign, entity: str, new: str, *, allowed_from: Iterable[str],
               author: str, note: str | None = None, batch_id: int | None = None,
               expect_version: int | None = None) -> tuple[ProblemList, int]:
    """Move ``entity`` to ``new`` inside the caller's write transaction. Returns problems
    (ESG-COLLECT-008 when the current status does not allow it, ESG-COLLECT-009 when the
    version moved on) and the new version."""
    problems = ProblemList()
    cur = entity_status(conn, campaign.id, entity)
    if cur is None:
        problems.append(Problem("ESG-COLLECT-012", Location(field="entity"), {
            "indicator": "-", "entity": entity, "expected": campaign.named()}))
        return problems, 0
    status, version = cur
    allowed = tuple(allowed_from)
    if expect_version is not None and version != expect_version:
        problems.append(Problem("ESG-COLLECT-009", Location(field="version"), {
            "entity": entity, "found": version, "expected": expect_version}))
        return problems, version
    if status not in allowed:
        problems.append(Problem("ESG-COLLECT-008", Location(field="status"), {
            "entity": entity, "found": statuses_named([status]), "expected": statuses_named(allowed),
            "next": next_step(entity, status, allowed)}))
        return problems, version
    now = now_iso()
    res = conn.execute(C.entity_status.update().where(
        C.entity_status.c.campaign_id == campaign.id, C.entity_status.c.entity == entity,
        C.entity_status.c.version == version).values(
        status=new, version=version + 1, updated_at=now, updated_by=author))
    if res.rowcount != 1:  # cannot happen under the write lock; kept as a guard
        problems.append(Problem("ESG-COLLECT-009", Location(field="version"), {
            "entity": entity, "found": "?", "expected": version}))
        return problems, version
    conn.execute(C.status_event.insert().values(
        campaign_id=campaign.id, entity=entity, old_status=status, new_status=new,
        version=version + 1, author=author, at=now, batch_id=batch_id, note=note))
    return problems, version + 1


def link_batch(conn: Connection, campaign: Campaign, batch_id: int | None) -> None:
    """Record, inside the caller's write transaction, that ledger batch ``batch_id`` was written
    for ``campaign`` (a submission, approval or return): the audit trail names the campaign on
    the batch's fact rows. Nothing for no batch."""
    if batch_id is not None:
        conn.execute(C.campaign_batch.insert().values(batch_id=batch_id, campaign_id=campaign.id))


def status_table(desk: Desk, campaign: Campaign, *, today: dt.date | None = None) -> list[StatusRow]:
    """Progress of every entity the user may read: status, values filled of those asked,
    late (past due and not submitted) and waiting for review (submitted)."""
    today = today or dt.date.today()
    late_day = dt.date.fromisoformat(campaign.due) if campaign.due else None
    ents = campaign_entities(desk, campaign)
    if not ents:
        return []
    a, st = C.assignment.c, C.entity_status.c
    f = S.fact.c
    with desk.store.reading() as conn:
        pairs: dict[str, list[str]] = {}
        for ent, ind in conn.execute(select(a.entity, a.indicator).where(a.campaign_id == campaign.id)):
            pairs.setdefault(ent, []).append(ind)
        given: dict[str, set[str]] = {}
        for ent, ind in conn.execute(
                select(f.entity, f.indicator).distinct()
                .select_from(S.fact.join(C.assignment, and_(
                    a.campaign_id == campaign.id, a.entity == f.entity, a.indicator == f.indicator)))
                .where(f.period.in_(campaign.periods()), f.basis == "own")):
            given.setdefault(ent, set()).add(ind)
        rows = {r.entity: r for r in conn.execute(select(C.entity_status).where(st.campaign_id == campaign.id))}
    asked = {e: set(still_asked(desk, e, codes)) for e, codes in pairs.items()}  # what the library still asks
    assigned = {e: len(codes) for e, codes in asked.items()}
    filled = {e: len(given.get(e, set()) & codes) for e, codes in asked.items()}
    out = []
    for code in ents:
        r = rows[code]
        e = desk.tree.entities.get(code)
        out.append(StatusRow(
            code, e.name(desk.lang) if e else code, e.process_type if e else "", r.status, r.version,
            assigned.get(code, 0), filled.get(code, 0), r.updated_by, r.updated_at, campaign.due,
            bool(late_day and today > late_day and r.status in OPEN_STATUSES),
            r.status == "submitted"))
    return out


# -- facts of an entity in a campaign ----------------------------------------------------------
def current_facts(conn: Connection, entity: str, periods: list[str],
                  indicators: Iterable[str] | None = None) -> dict[tuple[str, str, str], FactRecord]:
    """(indicator, dims, period) → current revision of the entity's own facts (the caller
    has checked access)."""
    fa = S.fact.alias("f")
    q = record_select(fa).where(fa.c.entity == entity, fa.c.basis == "own", fa.c.period.in_(periods),
                                 fa.c.revision == _latest_revision(fa), fa.c.status != WITHDRAWN)
    if indicators is not None:
        q = q.where(fa.c.indicator.in_(sorted(set(indicators))))
    return {(r[1], r[3], r[2]): FactRecord(*r) for r in conn.execute(q)}


def _latest_revision(fa, statuses: tuple[str, ...] | None = None):
    """The latest revision of the fact of each row of ``fa`` (the same entity, indicator,
    period, dims and basis), among those with one of ``statuses`` if given: a correlated
    scalar subquery."""
    g = S.fact.alias("g")
    latest = select(func.max(g.c.revision)).where(
        g.c.entity == fa.c.entity, g.c.indicator == fa.c.indicator, g.c.period == fa.c.period,
        g.c.dims == fa.c.dims, g.c.basis == fa.c.basis)
    if statuses is not None:
        latest = latest.where(g.c.status.in_(statuses))
    return latest.scalar_subquery()


def reference_values(desk: Desk, campaign: Campaign, entity: str, conn: Connection | None = None
                     ) -> dict[tuple[str, str, str], FactRecord]:
    """Last year's approved values, keyed by this campaign's (indicator, dims, period): the
    latest approved revision of each of the entity's facts of the previous year."""
    desk.store.require("read", entity)
    prev = {campaign.previous(p): p for p in campaign.periods()}
    fa = S.fact.alias("f")
    latest = _latest_revision(fa, ("approved", WITHDRAWN))  # withdrawn after approval: none
    q = record_select(fa).where(fa.c.entity == entity, fa.c.basis == "own", fa.c.period.in_(list(prev)),
                                 fa.c.status == "approved", fa.c.revision == latest)
    if conn is not None:  # inside the caller's transaction
        return {(r[1], r[3], prev[r[2]]): FactRecord(*r) for r in conn.execute(q)}
    with desk.store.reading() as conn:
        return {(r[1], r[3], prev[r[2]]): FactRecord(*r) for r in conn.execute(q)}


__all__ = ["ASKED_KINDS", "Campaign", "Desk", "StatusRow", "applicable_indicators", "asks",
           "assigned_indicators", "campaign_entities", "close_campaign", "current_facts",
           "entity_status", "get_campaign", "link_batch", "list_campaigns", "open_campaign", "open_desk",
           "reference_values", "set_status", "status_table", "statuses_named", "still_asked"]
