"""The audit trail: every change, with who, when, old value, new value, source and reason.

The trail is read from the ledger itself (facts are append-only revisions, each in a batch
that names its source and note) and from the workflow tables: status changes, review
comments and evidence. Each row has the same columns (:data:`AUDIT_COLUMNS`):

* ``fact`` — a revision: ``old_value``/``old_status`` are the previous revision's, ``source``
  is the file (``location``: its sheet!cell or line) or the API caller, ``reason`` the batch
  note (submission, approved by …, returned by …: comment), ``comment`` the submitter's,
  ``campaign`` the campaign the batch was written for (none for ``esgledger import``, ``calc
  run`` and re-imports written before migration 0009 that left the status as it was);
* ``status`` — an entity's status change in a campaign (``reason``: why);
* ``comment`` — a reviewer's or submitter's comment;
* ``evidence`` — a file attached (``new_value``: its SHA-256);
* ``refused`` — with ``include_refusals``: a refused attempt of the access log.

Rows are in time order. :func:`export_audit` writes them as CSV or JSON for assurance providers.
"""
from __future__ import annotations

import csv
import json
from typing import Iterator, TextIO

from sqlalchemy import and_, or_, select

from esgledger.collect.campaign import Desk
from esgledger.model.period import Period
from esgledger.store import schema as S
from esgledger.store import schema_collect as C

AUDIT_COLUMNS = ["at", "who", "kind", "entity", "indicator", "period", "dims", "basis", "revision",
                 "old_value", "new_value", "unit", "old_status", "new_status", "source", "location",
                 "reason", "comment", "batch", "campaign", "fact_id"]


def _periods(period: str | None) -> list[str] | None:
    if period is None:
        return None
    p = Period.parse(period)
    if p.kind != "year":
        return [str(p)]
    return [str(p.year)] + [f"{p.year}-{m:02d}" for m in range(1, 13)] + [f"{p.year}-Q{q}" for q in range(1, 5)]


def audit_trail(desk: Desk, *, period: str | None = None, entity: str | None = None,
                include_refusals: bool = False) -> Iterator[dict]:
    """The trail of the entities the user may read (a year includes its months)."""
    if entity is not None:
        desk.store.require("read", entity)
        entities = [entity]
    else:
        scope = desk.store.scope("read")
        entities = None if scope is None else sorted(scope)
    if include_refusals:
        desk.store.require("audit", target="the access log")
    periods = _periods(period)
    rows: list[dict] = []
    f, b = S.fact.c, S.batch.c
    # who wrote a fact and when are its batch's (migration 0007); the campaign it was written
    # for, the batch's link (migration 0009: none for `esgledger import` or `calc run`)
    cb = C.campaign_batch.c
    q = (select(S.fact, b.kind.label("batch_kind"), b.source.label("batch_source"), b.note.label("batch_note"),
                b.author, b.created_at, cb.campaign_id.label("batch_campaign"))
         .select_from(S.fact.join(S.batch, b.id == f.batch_id).outerjoin(C.campaign_batch, cb.batch_id == f.batch_id))
         .order_by(f.id))
    if entities is not None:
        q = q.where(f.entity.in_(entities))
    if periods is not None:
        q = q.where(f.period.in_(periods))
    with desk.store.reading() as conn:
        previous: dict[tuple, tuple[str, str]] = {}
        for r in conn.execute(q):
            key = (r.entity, r.indicator, r.period, r.dims, r.basis)
            old = previous.get(key)
            previous[key] = (r.value, r.status)
            rows.append({
                "at": r.created_at, "who": r.author, "kind": "fact", "entity": r.entity,
                "indicator": r.indicator, "period": r.period, "dims": r.dims, "basis": r.basis,
                "revision": r.revision, "old_value": old[0] if old else None, "new_value": r.value,
                "unit": r.unit, "old_status": old[1] if old else None, "new_status": r.status,
                "source": r.batch_source or r.batch_kind, "location": r.location, "reason": r.batch_note,
                "comment": r.comment, "batch": r.batch_id, "campaign": r.batch_campaign, "fact_id": r.id})
        campaigns = {c.id: c.period for c in conn.execute(select(C.campaign))}
        wanted = None if period is None else {cid for cid, p in campaigns.items() if p == str(Period.parse(period).year)}
        for r in _in_order(conn, C.status_event, entities, wanted):
            rows.append(_row(r.at, r.author, "status", r.entity, period=campaigns.get(r.campaign_id),
                             old_status=r.old_status, new_status=r.new_status, revision=r.version,
                             reason=r.note, batch=r.batch_id, campaign=r.campaign_id))
        for r in _in_order(conn, C.review_comment, entities, wanted):
            rows.append(_row(r.at, r.author, "comment", r.entity, indicator=r.indicator,
                             period=r.period or campaigns.get(r.campaign_id), dims=r.dims, reason=r.kind,
                             comment=r.text, campaign=r.campaign_id, fact_id=r.fact_id))
        e = C.evidence.c
        # a file on a value of the period, or on the whole entity
        on_period = None if periods is None else or_(e.period.in_(periods), and_(e.period.is_(None),
                                                                                   e.indicator.is_(None)))
        for r in _in_order(conn, C.evidence, entities, where=on_period):
            rows.append(_row(r.uploaded_at, r.uploaded_by, "evidence", r.entity, indicator=r.indicator,
                             period=r.period, dims=r.dims, new_value=r.sha256, source=r.filename,
                             location=r.stored_path, comment=r.note, fact_id=r.fact_id))
        if include_refusals:
            for r in conn.execute(select(C.access_log).order_by(C.access_log.c.id)):
                rows.append(_row(r.at, r.username, "refused", None, source=r.action, location=r.target,
                                 reason=r.reason))
    order = {"fact": 0, "status": 1, "comment": 2, "evidence": 3, "refused": 4}
    rows.sort(key=lambda x: (x["at"] or "", order[x["kind"]]))
    return iter(rows)


def comments_on(conn, entity: str, indicator: str | None, period: str | None, dims: str | None = "") -> list[dict]:
    """The review comments made on one value (``collect return --value``, notes on a value):
    those naming its entity, indicator, period and breakdown, in time order, each with its
    ``kind`` (return, approve, note), ``author``, ``at``, ``text`` and the ``fact_id`` of the
    revision it was made on (None when the comment named the value before it had one). A
    comment on the whole entity is not one of them (``collect review`` and the audit trail show
    those). None for ``indicator``, ``period`` or ``dims``: any (each comment names its
    ``indicator``, ``period`` and ``dims``)."""
    rc = C.review_comment.c
    campaigns = {c.id: c.period for c in conn.execute(select(C.campaign.c.id, C.campaign.c.period))}
    out = []
    q = select(C.review_comment).where(rc.entity == entity, rc.indicator.is_not(None)).order_by(rc.id)
    for r in conn.execute(q.where(rc.indicator == indicator) if indicator is not None else q):
        at = r.period or campaigns.get(r.campaign_id)
        if (period is None or at == period) and (dims is None or (r.dims or "") == dims):
            out.append({"kind": r.kind, "author": r.author, "at": r.at, "text": r.text, "fact_id": r.fact_id,
                        "indicator": r.indicator, "period": at, "dims": r.dims or ""})
    return out


def _in_order(conn, table, entities: list[str] | None, campaigns: set[int] | None = None, where=None):
    """The rows of a workflow table (status_event, review_comment, evidence) in the order they
    were written: of ``entities`` and of ``campaigns`` (None: any), and ``where`` if given."""
    q = select(table).order_by(table.c.id)
    if entities is not None:
        q = q.where(table.c.entity.in_(entities))
    if where is not None:
        q = q.where(where)
    return (r for r in conn.execute(q) if campaigns is None or r.campaign_id in campaigns)


def _row(at, who, kind, entity, **kw) -> dict:
    row = dict.fromkeys(AUDIT_COLUMNS)
    row.update(at=at, who=who, kind=kind, entity=entity, **kw)
    return row


def export_audit(desk: Desk, out: TextIO, fmt: str = "csv", **filters) -> int:
    """Write the trail as ``csv`` or ``json``; returns the number of rows."""
    rows = list(audit_trail(desk, **filters))
    if fmt == "csv":
        w = csv.DictWriter(out, fieldnames=AUDIT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    elif fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: expected csv or json")
    return len(rows)


__all__ = ["AUDIT_COLUMNS", "audit_trail", "export_audit"]
