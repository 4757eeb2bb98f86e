"""Two people at once, on SQLite and PostgreSQL: no revision is lost and the entity's status
agrees with its facts, whichever of the two goes first.

Each side works through its own store connection (its own engine), started together at a
barrier; the store's write lock serialises them (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
fact table lock).
"""
import threading

from esgledger.collect.campaign import status_table
from esgledger.collect.review import approve_entity, review_entity
from esgledger.collect.submission import import_workbook
from esgledger.store import Store
from esgledger.store.access import ScopedStore
from tests.collect.conftest import PW
from tests.collect.group import WORKBOOKS, desk_as


def _desk(group, user):
    store = Store(group.ws.store.url)
    return desk_as(group.ws, ScopedStore.login(store, user, PW)), store


def _together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(i, fn):
        try:
            barrier.wait(timeout=30)
            results[i] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def _revisions_are_contiguous(group):
    hist: dict[tuple, list[int]] = {}
    for f in group.admin.store.current_facts(entity="P1", basis=None):
        hist[f.key] = [h.revision for h in group.admin.store.history(*f.key)]
    assert hist and all(revs == list(range(1, len(revs) + 1)) for revs in hist.values())


def _status_agrees_with_facts(group) -> str:
    status = {r.entity: r.status for r in status_table(group.admin, group.c2025)}["P1"]
    facts = {f.status for f in group.admin.store.current_facts(entity="P1") if f.period.startswith("2025")}
    expected = {"approved": {"approved"}, "submitted": {"submitted"}, "in_progress": {"draft", "submitted"}}
    assert facts <= expected[status], (status, facts)
    return status


def test_two_reviewers_approving_at_once_approve_once(group):
    assert import_workbook(group.desk("p1"), WORKBOOKS / "good.xlsx", submit=True).ok
    (a, sa), (b, sb) = _desk(group, "esg"), _desk(group, "esg2")
    try:
        ra, rb = _together(lambda: approve_entity(a, group.c2025, "P1"),
                           lambda: approve_entity(b, group.c2025, "P1"))
    finally:
        sa.close()
        sb.close()
    assert sorted([ra.ok, rb.ok]) == [False, True]
    loser = rb if ra.ok else ra
    assert loser.problems.flat() == [("(status)", "ESG-COLLECT-008")]
    winner = ra if ra.ok else rb
    assert (winner.status, winner.version, winner.facts) == ("approved", 3, 21)
    _revisions_are_contiguous(group)
    assert _status_agrees_with_facts(group) == "approved"
    # every value was approved exactly once
    approvals = [h.status for f in group.admin.store.current_facts(entity="P1", period=None)
                 if f.period.startswith("2025") for h in group.admin.store.history(*f.key)]
    assert approvals.count("approved") == 21 and approvals.count("submitted") == 21


def test_reimport_while_a_reviewer_approves(group):
    assert import_workbook(group.desk("p1"), WORKBOOKS / "good.xlsx", submit=True).ok
    seen = review_entity(group.desk("esg"), group.c2025, "P1").version
    (sub, s1), (rev, s2) = _desk(group, "p1"), _desk(group, "esg")
    try:
        imported, approved = _together(
            lambda: import_workbook(sub, WORKBOOKS / "warnings.xlsx"),
            lambda: approve_entity(rev, group.c2025, "P1", version=seen))
    finally:
        s1.close()
        s2.close()
    assert imported.ok != approved.ok  # exactly one of them happened
    status = _status_agrees_with_facts(group)
    _revisions_are_contiguous(group)
    if approved.ok:  # the approval went first: the import found the entity approved
        assert imported.flat() == [("(status)", "ESG-COLLECT-008")] and not imported.written
        assert status == "approved"
    else:  # the import went first: the approval found a newer version than it reviewed
        assert approved.problems.flat() == [("(version)", "ESG-COLLECT-009")]
        assert imported.written and status == "in_progress"
        changed = {(f.indicator, f.dims): (f.value, f.status) for f in group.admin.store.current_facts(entity="P1")
                   if f.period == "2025" and f.status == "draft"}
        assert changed == {("aluminium_output", ""): ("66", "draft"), ("employees", "gender=male"): ("840", "draft")}
