"""Review: the reviewer sees each submitted value beside last year's, approves or returns.

Approving appends, for every submitted value of the entity, a new revision with status
``approved`` (facts are never updated); returning appends a ``rejected`` revision of each value
that got a comment, keeps the comments (per value and per entity), and hands the entity back to
its submitter, who corrects and resubmits. A manager may reopen an approved entity.

A closed campaign takes no more imports, but what was submitted before it closed is still
reviewed and approved; returning or reopening an entity of a closed campaign is refused
(ESG-COLLECT-022): its submitter could not answer.

Every decision is taken under the ledger's write lock and checks the entity's version: a
reviewer who passes the ``version`` they reviewed cannot approve values that changed since
(ESG-COLLECT-009), and two reviewers approving at once approve once (the second finds the
entity already approved: ESG-COLLECT-008).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from sqlalchemy import select

from esgledger.collect.campaign import (Campaign, Desk, assigned_indicators, current_facts, entity_status,
                                        link_batch, next_step, reference_values, set_status, statuses_named)
from esgledger.collect.evidence import list_evidence
from esgledger.collect.findings import find_warnings
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.store import schema_collect as C
from esgledger.store.ledger import NewFact, now_iso

Key = tuple[str, str, str]  # (indicator, dims, period)


@dataclass(frozen=True)
class ReviewLine:
    indicator: str
    name: str
    dims: str
    period: str
    value: str
    unit: str | None
    status: str
    revision: int
    last_year: str | None
    change_pct: str | None
    comment: str | None          # the submitter's
    location: str | None
    author: str | None
    warnings: tuple[str, ...]    # problem codes about this value
    review_comments: tuple[str, ...]
    fact_id: int | None
    # the evidence files attached to this value (any of its revisions): id, file, sha256
    evidence: tuple[dict, ...] = ()


@dataclass
class ReviewSheet:
    campaign: Campaign
    entity: str
    status: str
    version: int
    lines: list[ReviewLine]
    warnings: ProblemList
    comments: list[dict]         # every comment on the entity and its values, oldest first
    evidence: list[dict] = field(default_factory=list)  # files attached to the entity, not to a value


@dataclass
class Outcome:
    """What a workflow step did: its problems, the entity's status and version after it."""

    entity: str
    problems: ProblemList = field(default_factory=ProblemList)
    status: str | None = None
    version: int | None = None
    batch_id: int | None = None
    facts: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems.errors


class _Abort(Exception):
    pass


def _comments(conn, campaign: Campaign, entity: str) -> list[dict]:
    rc = C.review_comment.c
    return [dict(r._mapping) for r in conn.execute(
        select(C.review_comment).where(rc.campaign_id == campaign.id, rc.entity == entity).order_by(rc.id))]


def review_entity(desk: Desk, campaign: Campaign, entity: str) -> ReviewSheet:
    """Each value of the entity with last year's, the change, its warnings and comments."""
    desk.store.require("read", entity)
    with desk.store.reading() as conn:
        st = entity_status(conn, campaign.id, entity)
        facts = current_facts(conn, entity, campaign.periods())
        comments = _comments(conn, campaign, entity)
    refs = reference_values(desk, campaign, entity)
    findings = find_warnings(desk, entity, facts, refs, lang=desk.lang)
    periods = set(campaign.periods())
    files: dict[Key | None, list[dict]] = {}
    for r in list_evidence(desk, entity=entity):
        if r.indicator is None:
            files.setdefault(None, []).append(_evidence_item(r))
        elif r.period in periods:
            files.setdefault((r.indicator, r.dims or "", r.period), []).append(_evidence_item(r))
    order = {c: i for i, c in enumerate(desk.library.indicators)}
    lines = []
    for key in sorted(facts, key=lambda k: (order.get(k[0], 10 ** 6), k[2], k[1])):
        f = facts[key]
        ref = refs.get(key)
        change = None
        if ref is not None:
            try:
                old, new = Decimal(ref.value), Decimal(f.value)
                if old != 0:
                    change = f"{(new - old) / abs(old) * 100:+.1f} %"
            except ArithmeticError:  # category values
                change = None if ref.value == f.value else "changed"
        ind = desk.library.get(key[0])
        lines.append(ReviewLine(
            key[0], ind.name.get(desk.lang) if ind else key[0], key[1], key[2], f.value, f.unit,
            f.status, f.revision, ref.value if ref else None, change, f.comment, f.location, f.author,
            tuple(fd.problem.code for fd in findings if key[0] in fd.indicators and fd.period == key[2]),
            tuple(c["text"] for c in comments if c["indicator"] == key[0] and (c["dims"] or "") == key[1]
                  and c["period"] == key[2]),
            f.id, tuple(files.get(key, ()))))
    status, version = st if st else ("-", 0)
    return ReviewSheet(campaign, entity, status, version, lines,
                       ProblemList(fd.problem for fd in findings), comments, files.get(None, []))


def _evidence_item(r) -> dict:
    return {"id": r.id, "file": r.filename, "sha256": r.sha256, "note": r.note}


def approve_entity(desk: Desk, campaign: Campaign, entity: str, *, version: int | None = None,
                   comment: str | None = None) -> Outcome:
    """Approve every submitted value of ``entity`` (a new ``approved`` revision of each)."""
    desk.store.require("review", entity)
    out = Outcome(entity)
    try:
        with desk.store.writing() as tx:
            st = entity_status(tx.conn, campaign.id, entity)
            if not _can_move(out, st, ("submitted",), version):
                raise _Abort
            facts = current_facts(tx.conn, entity, campaign.periods())
            new = [_revision(entity, f, "approved") for f in facts.values() if f.status == "submitted"]
            batch_id, _ = _review_batch(tx, desk, campaign, entity, facts, new, "approve", comment,
                                        return_ids=False)
            _decide(tx, desk, campaign, out, "approved", batch_id, comment)
            if comment:
                tx.conn.execute(C.review_comment.insert().values(
                    campaign_id=campaign.id, entity=entity, kind="approve", author=desk.user,
                    at=now_iso(), text=comment))
    except _Abort:
        return out
    out.status, out.batch_id, out.facts = "approved", batch_id, len(new)
    return out


def return_entity(desk: Desk, campaign: Campaign, entity: str, *, comment: str | None = None,
                  value_comments: Mapping[Key, str] | None = None,
                  version: int | None = None) -> Outcome:
    """Return ``entity`` to its submitter with a comment on the entity and/or on values
    (``{(indicator, dims, period): text}``); each commented value gets a ``rejected`` revision.
    A comment on a value asked of the entity but not given (``请补充用水量``) is kept as it is:
    it asks the submitter to fill it in. A value not asked of the entity is ESG-COLLECT-015."""
    desk.store.require("review", entity)
    out = Outcome(entity)
    value_comments = {k: v for k, v in (value_comments or {}).items() if v and v.strip()}
    if not (comment and comment.strip()) and not value_comments:
        out.problems.append(Problem("ESG-COLLECT-013", Location(field="comment"), {"entity": entity}))
        return out
    asked = set(assigned_indicators(desk, campaign, entity))
    periods = set(campaign.periods())
    try:
        with desk.store.writing() as tx:
            if _closed(tx.conn, campaign, out, "return"):
                raise _Abort
            st = entity_status(tx.conn, campaign.id, entity)
            if not _can_move(out, st, ("submitted",), version):
                raise _Abort
            facts = current_facts(tx.conn, entity, campaign.periods())
            # a comment on a value not given yet asks for it: kept, with no revision to reject
            for key in value_comments:
                if key not in facts and (key[0] not in asked or key[2] not in periods):
                    out.problems.append(Problem("ESG-COLLECT-015", Location(field="value_comments"), {
                        "entity": entity, "indicator": key[0], "found": f"{key[2]} {key[1]}".strip()}))
            if out.problems.errors:
                raise _Abort
            keys = [k for k in value_comments if k in facts]
            missing = [k for k in value_comments if k not in facts]
            new = [_revision(entity, facts[k], "rejected") for k in keys]
            batch_id, ids = _review_batch(tx, desk, campaign, entity, facts, new, "return", comment)
            now = now_iso()
            rows = [dict(campaign_id=campaign.id, entity=entity, indicator=k[0], period=k[2], dims=k[1],
                         fact_id=fid, kind="return", author=desk.user, at=now, text=value_comments[k])
                    for k, fid in list(zip(keys, ids)) + [(k, None) for k in missing]]
            if comment and comment.strip():
                rows.append(dict(campaign_id=campaign.id, entity=entity, indicator=None, period=None, dims=None,
                                 fact_id=None, kind="return", author=desk.user, at=now, text=comment.strip()))
            tx.conn.execute(C.review_comment.insert(), rows)
            _decide(tx, desk, campaign, out, "returned", batch_id, comment)
    except _Abort:
        return out
    out.status, out.batch_id, out.facts = "returned", batch_id, len(new)
    return out


def reopen_entity(desk: Desk, campaign: Campaign, entity: str, *, comment: str,
                  version: int | None = None) -> Outcome:
    """Hand an approved entity back to its submitter for a correction (its approved values
    stay approved until new ones are approved)."""
    desk.store.require("review", entity)
    out = Outcome(entity)
    if not comment or not comment.strip():
        out.problems.append(Problem("ESG-COLLECT-013", Location(field="comment"), {"entity": entity}))
        return out
    with desk.store.writing() as tx:
        if _closed(tx.conn, campaign, out, "reopen"):
            return out
        problems, out.version = set_status(tx.conn, campaign, entity, "returned", allowed_from=("approved",),
                                           author=desk.user, note=comment, expect_version=version)
        if problems:
            out.problems.extend(problems)
            return out
        tx.conn.execute(C.review_comment.insert().values(
            campaign_id=campaign.id, entity=entity, kind="return", author=desk.user, at=now_iso(),
            text=comment.strip()))
    out.status = "returned"
    return out


def add_comment(desk: Desk, campaign: Campaign, entity: str, text: str, *, indicator: str | None = None,
                dims: str = "", period: str | None = None) -> None:
    """A note on the entity or on one value (submitters answer reviewers this way)."""
    desk.store.require("write", entity)
    with desk.store.writing() as tx:
        tx.conn.execute(C.review_comment.insert().values(
            campaign_id=campaign.id, entity=entity, indicator=indicator, dims=dims if indicator else None,
            period=(period or campaign.period) if indicator else None, kind="note", author=desk.user,
            at=now_iso(), text=text))


def _closed(conn, campaign: Campaign, out: Outcome, action: str) -> bool:
    """ESG-COLLECT-022 when ``campaign`` is closed (as the store has it now, under the write
    lock): returning or reopening hands the entity back to a submitter who cannot import into a
    closed campaign. Reviewing and approving what was submitted before it closed go ahead."""
    status = conn.execute(select(C.campaign.c.status).where(C.campaign.c.id == campaign.id)).scalar()
    if status != "closed":
        return False
    named = {"return": Bilingual("退回", "return"), "reopen": Bilingual("重新开启", "reopen")}[action]
    out.problems.append(Problem("ESG-COLLECT-022", Location(field="campaign"), {
        "campaign": campaign.named(), "entity": out.entity, "action": named, "period": campaign.period}))
    return True


def _revision(entity: str, f, status: str) -> NewFact:
    """The next revision of the entity's own fact ``f``, as it is but with ``status``."""
    return NewFact(entity, f.indicator, f.period, f.dims, f.value, f.unit, "own", status,
                   f.value_entered, f.unit_entered, f.location, f.comment)


def _review_batch(tx, desk: Desk, campaign: Campaign, entity: str, facts, new: list[NewFact], action: str,
                  comment: str | None, *, return_ids: bool = True) -> tuple[int | None, list[int]]:
    """Append the new revisions of a review decision as one batch linked to the campaign: its
    source the action (``approve P1``), its note who took it and the comment (``returned by
    esg: …``); (batch id, fact ids), or (None, []) with no revision to append."""
    if not new:
        return None, []
    done = {"approve": "approved", "return": "returned"}[action]
    batch_id, ids = tx.append(new, kind="review", source=f"{action} {entity}",
                              note=f"{done} by {desk.user}" + (f": {comment}" if comment else ""),
                              return_ids=return_ids, latest=_latest(entity, facts))
    link_batch(tx.conn, campaign, batch_id)
    return batch_id, ids


def _decide(tx, desk: Desk, campaign: Campaign, out: Outcome, status: str, batch_id: int | None,
            comment: str | None) -> None:
    """Move the submitted entity to ``status`` (approved, returned), its status event naming
    the batch and the comment; raises _Abort with the problems in ``out`` if it cannot."""
    problems, out.version = set_status(tx.conn, campaign, out.entity, status, allowed_from=("submitted",),
                                       author=desk.user, batch_id=batch_id, note=comment or status)
    if problems:
        out.problems.extend(problems)
        raise _Abort


def _latest(entity: str, facts) -> dict[tuple, int]:
    return {(entity, k[0], k[2], k[1], "own"): f.revision for k, f in facts.items()}


def _can_move(out: Outcome, st, allowed: tuple[str, ...], version: int | None) -> bool:
    if st is None:
        out.problems.append(Problem("ESG-COLLECT-012", Location(field="entity"), {
            "indicator": "-", "entity": out.entity, "expected": "this campaign"}))
        return False
    status, current = st
    if version is not None and current != version:
        # a version never reached was not "changed since it was reviewed": a typo
        out.problems.append(Problem("ESG-COLLECT-021" if version > current else "ESG-COLLECT-009",
                                    Location(field="version"), {
            "entity": out.entity, "found": current, "expected": version}))
        out.status, out.version = status, current
        return False
    if status not in allowed:
        out.problems.append(Problem("ESG-COLLECT-008", Location(field="status"), {
            "entity": out.entity, "found": statuses_named([status]), "expected": statuses_named(allowed),
            "next": next_step(out.entity, status, allowed)}))
        out.status, out.version = status, current
        return False
    return True


__all__ = ["Outcome", "ReviewLine", "ReviewSheet", "add_comment", "approve_entity", "reopen_entity",
           "return_entity", "review_entity"]
