"""Review, approval, evidence and the audit trail, on SQLite and PostgreSQL."""
import csv
import io
import json

import pytest

from esgledger.collect.audit import AUDIT_COLUMNS, audit_trail, export_audit
from esgledger.collect.campaign import status_table
from esgledger.collect.evidence import attach_evidence, list_evidence, verify_evidence
from esgledger.collect.review import (add_comment, approve_entity, reopen_entity, return_entity,
                                      review_entity)
from esgledger.collect.submission import import_workbook, submit_entity, submit_values
from esgledger.collect.templates import generate_workbook
from esgledger.model.errors import ProblemsError
from esgledger.store.access import AccessDenied
from tests.collect.group import P1_2025, WORKBOOKS

FEMALE = ("employees", "gender=female", "2025")


def submitted_p1(group):
    rep = import_workbook(group.desk("p1"), WORKBOOKS / "good.xlsx", submit=True)
    assert rep.ok and rep.status["P1"] == ("submitted", 2), rep.flat()


def test_review_return_resubmit_approve(group, tmp_path):
    submitted_p1(group)
    esg = group.desk("esg")
    sheet = review_entity(esg, group.c2025, "P1")
    assert (sheet.status, sheet.version) == ("submitted", 2)
    lines = {(l.indicator, l.dims, l.period): l for l in sheet.lines}
    assert len(lines) == 21
    out = lines[("aluminium_output", "", "2025")]
    assert (out.value, out.last_year, out.change_pct, out.status, out.location) == (
        "55.25", "50.00", "+10.5 %", "submitted", "Energy!F3")
    assert lines[("electricity", "", "2025-03")].change_pct == "+3.0 %"
    assert lines[("disclosure_rating", "", "2025")].change_pct == "changed"

    # returned with a comment on one value and one on the entity
    res = return_entity(esg, group.c2025, "P1", comment="please check the headcount",
                        value_comments={FEMALE: "HR roster says 260"}, version=2)
    assert res.ok and (res.status, res.version, res.facts) == ("returned", 3, 1)
    [f] = group.admin.store.current_facts(entity="P1", indicator="employees", period="2025", dims="gender=female")
    assert (f.value, f.status, f.revision, f.author) == ("250", "rejected", 2, "esg")
    p1 = group.desk("p1")
    sheet = review_entity(p1, group.c2025, "P1")  # the submitter sees the comments
    assert [(c["indicator"], c["text"]) for c in sheet.comments] == [
        ("employees", "HR roster says 260"), (None, "please check the headcount")]
    assert {(l.indicator, l.dims): l.review_comments for l in sheet.lines}[("employees", "gender=female")] == (
        "HR roster says 260",)
    add_comment(p1, group.c2025, "P1", "corrected from the HR roster", indicator="employees", dims="gender=female")

    # the submitter corrects and resubmits
    rep = submit_values(p1, group.c2025, "P1", [
        {"indicator": "employees", "dims": "gender=female", "value": "260"},
        {"indicator": "employees", "dims": "gender=male", "value": "840"}], submit=True)
    assert rep.ok and rep.status["P1"] == ("submitted", 4)
    assert {s for *_, s in group.facts() if _[2].startswith("2025")} == {"submitted"}

    # a stale approval is refused; a current one approves everything, once
    stale = approve_entity(esg, group.c2025, "P1", version=2)
    assert stale.problems.flat() == [("(version)", "ESG-COLLECT-009")]
    # a version not reached yet (5 while P1 is at 4) is a typo, not a change since review (A4-L8)
    future = approve_entity(esg, group.c2025, "P1", version=5)
    assert future.problems.flat() == [("(version)", "ESG-COLLECT-021")] and future.status == "submitted"
    assert future.problems[0].message("en") == ("version does not exist yet: P1 is at version 4; there is no "
                                                 "version 5 yet: pass the version `esgledger collect review P1` shows")
    assert future.problems[0].message("zh") == ("版本尚不存在：P1 当前为版本 4，尚无版本 5：请使用 "
                                                "`esgledger collect review P1` 显示的版本")
    res = approve_entity(esg, group.c2025, "P1", version=4, comment="checked against HR roster")
    assert res.ok and (res.status, res.version, res.facts) == ("approved", 5, 21)
    again = approve_entity(group.desk("esg2"), group.c2025, "P1")
    assert again.problems.flat() == [("(status)", "ESG-COLLECT-008")]
    approved = {(i, d, p): v for e, i, p, d, v, s in group.facts(status="approved") if p.startswith("2025")}
    assert approved == {**P1_2025, ("employees", "gender=female", "2025"): "260",
                        ("employees", "gender=male", "2025"): "840"}
    assert [(f.revision, f.value, f.status, f.author) for f in
            group.admin.store.history("P1", "employees", "2025", "gender=female")] == [
        (1, "250", "submitted", "p1"), (2, "250", "rejected", "esg"), (3, "260", "submitted", "p1"),
        (4, "260", "approved", "esg")]

    # approved values cannot be overwritten by an import; a manager may reopen
    late = import_workbook(p1, WORKBOOKS / "good.xlsx")
    assert late.flat() == [("(status)", "ESG-COLLECT-008")] and not late.written
    res = reopen_entity(esg, group.c2025, "P1", comment="auditor found a typo", version=5)
    assert res.ok and res.status == "returned"
    assert {r.entity: r.status for r in status_table(group.admin, group.c2025)}["P1"] == "returned"


def test_return_needs_a_comment_and_existing_values(group):
    submitted_p1(group)
    esg = group.desk("esg")
    assert return_entity(esg, group.c2025, "P1").problems.flat() == [("(comment)", "ESG-COLLECT-013")]
    bad = return_entity(esg, group.c2025, "P1", value_comments={("employees", "", "2019"): "?"})
    assert bad.problems.flat() == [("(value_comments)", "ESG-COLLECT-015")]
    assert return_entity(esg, group.c2025, "P2", comment="x").problems.flat() == [("(status)", "ESG-COLLECT-008")]
    assert review_entity(esg, group.c2025, "P1").status == "submitted"


def test_evidence_is_stored_by_hash(group, tmp_path):
    submitted_p1(group)
    pdf = tmp_path / "electricity bill.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a utility bill\n")
    p1 = group.desk("p1")
    rec = attach_evidence(p1, pdf, "P1", indicator="aluminium_output", period="2025", note="production report")
    assert rec.stored_path == f"evidence/{rec.sha256[:2]}/{rec.sha256}.pdf"
    assert (rec.filename, rec.media_type, rec.uploaded_by) == ("electricity bill.pdf", "application/pdf", "p1")
    [f] = group.admin.store.current_facts(entity="P1", indicator="aluminium_output", period="2025")
    assert rec.fact_id == f.id
    assert verify_evidence(group.admin, rec)
    again = attach_evidence(p1, pdf, "P1", note="the same file, linked to the entity")
    assert again.stored_path == rec.stored_path and again.fact_id is None
    assert [r.id for r in list_evidence(group.admin, entity="P1")] == [rec.id, again.id]
    codes = []
    for bad in (lambda: attach_evidence(p1, tmp_path / "missing.pdf", "P1"),
                lambda: attach_evidence(p1, group.ws.path / "esgledger.toml", "P1"),
                lambda: attach_evidence(p1, pdf, "P1", indicator="employees", period="2023")):
        with pytest.raises(ProblemsError) as exc:
            bad()
        codes.append(exc.value.problems[0].code)
    assert codes == ["ESG-COLLECT-014", "ESG-COLLECT-014", "ESG-COLLECT-015"]
    # the content must be what the extension says (audit A4-M3): a text file renamed .pdf, an
    # "xlsx" that is not a zip package, a JPEG named .png, an empty file
    fakes = {"fake.pdf": b"not really a pdf", "fake.xlsx": b"%PDF-1.4 a pdf named xlsx",
             "photo.png": b"\xff\xd8\xff\xe0 a JPEG", "empty.jpg": b""}
    found = []
    for name, data in fakes.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ProblemsError) as exc:
            attach_evidence(p1, tmp_path / name, "P1")
        [problem] = exc.value.problems
        found.append((problem.code, problem.location.file, problem.message("en").split(": ", 1)[1]))
    assert found == [
        ("ESG-COLLECT-014", "fake.pdf", "its content does not match its extension .pdf: a PDF starts with %PDF-, "
                                        "this file starts with b'not real'"),
        ("ESG-COLLECT-014", "fake.xlsx", "its content does not match its extension .xlsx: an .xlsx workbook is a "
                                         "zip package (starts with PK), this file starts with b'%PDF-1.4'"),
        ("ESG-COLLECT-014", "photo.png", "its content does not match its extension .png: a PNG image starts with "
                                         "\\x89PNG, this file starts with b'\\xff\\xd8\\xff\\xe0 a J'"),
        ("ESG-COLLECT-014", "empty.jpg", "the file is empty")]
    assert [r.id for r in list_evidence(group.admin, entity="P1")] == [rec.id, again.id]  # none of them stored
    # the reviewer sees the file beside the value it supports, and the one on the entity apart
    sheet = review_entity(group.desk("esg"), group.c2025, "P1")
    assert {l.indicator: [e["file"] for e in l.evidence] for l in sheet.lines if l.evidence} == \
        {"aluminium_output": ["electricity bill.pdf"]}
    assert [(e["file"], e["sha256"]) for e in sheet.evidence] == [("electricity bill.pdf", rec.sha256)]
    (group.ws.path / rec.stored_path).write_bytes(b"tampered")
    assert not verify_evidence(group.admin, rec)


def test_audit_trail_has_who_when_old_new_source_reason(group):
    submitted_p1(group)
    esg = group.desk("esg")
    return_entity(esg, group.c2025, "P1", value_comments={FEMALE: "HR roster says 260"})
    submit_values(group.desk("p1"), group.c2025, "P1",
                  [{"indicator": "employees", "dims": "gender=female", "value": "260", "comment": "per HR"}],
                  submit=True)
    approve_entity(esg, group.c2025, "P1")
    trail = list(audit_trail(group.desk("audit"), period="2025", entity="P1"))
    female = [(r["kind"], r["who"], r["revision"], r["old_value"], r["new_value"], r["old_status"], r["new_status"],
               r["source"].rsplit("/", 1)[-1], r["location"], r["reason"])
              for r in trail if r["kind"] == "fact" and (r["indicator"], r["dims"]) == FEMALE[:2]]
    assert female == [
        ("fact", "p1", 1, None, "250", None, "submitted", "good.xlsx", "Labour!F4", "submission and submit"),
        ("fact", "esg", 2, "250", "250", "submitted", "rejected", "return P1", "Labour!F4", "returned by esg"),
        ("fact", "p1", 3, "250", "260", "rejected", "submitted", "api", "values[0]", "submission and submit"),
        ("fact", "esg", 4, "260", "260", "submitted", "approved", "approve P1", "values[0]", "approved by esg")]
    assert [(r["who"], r["old_status"], r["new_status"]) for r in trail if r["kind"] == "status"] == [
        ("admin", None, "not_started"), ("p1", "not_started", "submitted"), ("esg", "submitted", "returned"),
        ("p1", "returned", "submitted"), ("esg", "submitted", "approved")]
    assert [(r["who"], r["comment"]) for r in trail if r["kind"] == "comment"] == [("esg", "HR roster says 260")]
    out = io.StringIO()
    n = export_audit(group.desk("audit"), out, "csv", period="2025")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == n and list(rows[0]) == AUDIT_COLUMNS
    out = io.StringIO()
    assert export_audit(group.desk("audit"), out, "json", period="2025") == n
    assert [r["kind"] for r in json.loads(out.getvalue())] == [r["kind"] for r in rows]
    # a submitter's trail covers its own subtree only
    assert {r["entity"] for r in audit_trail(group.desk("p2"), period="2025")} <= {"P2"}


def test_the_audit_trail_of_a_year_has_the_evidence_of_its_values_and_of_the_entity(group, tmp_path):
    """Evidence on a value is in the trail of that value's year; evidence on the whole entity
    (no indicator, no period) in every year's; another entity's in neither."""
    submitted_p1(group)
    pdf = tmp_path / "bill.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a bill\n")
    p1 = group.desk("p1")
    attach_evidence(p1, pdf, "P1", indicator="aluminium_output", period="2025", note="this year")
    attach_evidence(p1, pdf, "P1", indicator="aluminium_output", period="2024", note="last year")
    attach_evidence(p1, pdf, "P1", note="the entity")
    attach_evidence(group.desk("p2"), pdf, "P2", note="another entity")

    def evidence(period):
        return [(r["entity"], r["period"], r["comment"]) for r in audit_trail(group.desk("audit"), period=period)
                if r["kind"] == "evidence"]
    assert evidence("2025") == [("P1", "2025", "this year"), ("P1", None, "the entity"), ("P2", None, "another entity")]
    assert evidence("2024") == [("P1", "2024", "last year"), ("P1", None, "the entity"), ("P2", None, "another entity")]
    assert [r["comment"] for r in audit_trail(group.desk("audit"), period="2024", entity="P1")
            if r["kind"] == "evidence"] == ["last year", "the entity"]


def test_no_public_function_lets_a_plant_reach_another_plant(group, tmp_path):
    submitted_p1(group)
    p2, audit = group.desk("p2"), group.desk("audit")
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    attempts = [
        lambda: review_entity(p2, group.c2025, "P1"),
        lambda: generate_workbook(p2, group.c2025, "P1", tmp_path),
        lambda: import_workbook(p2, WORKBOOKS / "good.xlsx"),
        lambda: submit_values(p2, group.c2025, "P1", [{"indicator": "employees", "value": "1"}]),
        lambda: submit_entity(p2, group.c2025, "P1"),
        lambda: approve_entity(p2, group.c2025, "P2"),
        lambda: attach_evidence(p2, pdf, "P1"),
        lambda: list_evidence(p2, entity="P1"),
        lambda: list(audit_trail(p2, entity="P1")),
        lambda: add_comment(p2, group.c2025, "P1", "hello"),
        lambda: approve_entity(audit, group.c2025, "P1"),
        lambda: return_entity(audit, group.c2025, "P1", comment="no"),
        lambda: submit_entity(audit, group.c2025, "P1"),
        lambda: import_workbook(audit, WORKBOOKS / "good.xlsx"),
        lambda: attach_evidence(audit, pdf, "P1"),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            attempt()
    log = group.admin.store.access_log()
    assert len(log) == len(attempts)
    assert [(r["username"], r["action"]) for r in reversed(log)] == [
        ("p2", "read"), ("p2", "read"), ("p2", "write"), ("p2", "write"), ("p2", "submit"), ("p2", "review"),
        ("p2", "evidence"), ("p2", "read"), ("p2", "read"), ("p2", "write"), ("audit", "review"),
        ("audit", "review"), ("audit", "submit"), ("audit", "write"), ("audit", "evidence")]
    assert [r.entity for r in status_table(p2, group.c2025)] == ["P2"]
    assert review_entity(audit, group.c2025, "P1").status == "submitted"  # auditors read everything


def test_report_check_names_the_entities_of_the_years_campaign_not_approved(group):
    """UAT (2026-11-25): a 2025 report was built from one plant of twelve, the campaign's other
    entities never started, and the gap check said nothing. It names them now, by status, until
    every entity of the year's campaign is approved; a year without a campaign gives nothing."""
    from types import SimpleNamespace

    from esgledger.collect.campaign import campaign_entities
    from esgledger.model.i18n import fmt
    from esgledger.report.gap import T, _campaign_items

    entities = campaign_entities(group.admin, group.c2025)
    n = len(entities)

    def items(lang, period=2025):
        return _campaign_items(SimpleNamespace(ws=group.ws, period=period), lang,
                               lambda k, **kw: fmt(T[k][lang], **kw))

    [i] = items("en")
    assert (i.kind, i.status) == ("campaign", "todo")  # a to-do, not an article status (UAT A5-L5)
    assert i.text.startswith(f"collection campaign #{group.c2025.id} (2025): {n} of {n} entities not approved "
                             f"(not started {n}): ")
    submitted_p1(group)
    [i] = items("zh")
    assert f"收集任务 #{group.c2025.id}（2025年）：{n} 个主体中 {n} 个尚未批准（未开始 {n - 1}，已提交 1）" in i.text
    assert "P1" in i.text
    approve_entity(group.desk("esg"), group.c2025, "P1")
    [i] = items("en")
    assert f"{n - 1} of {n} entities not approved (not started {n - 1})" in i.text and "P1," not in i.text
    assert items("en", 2023) == []  # no campaign that year
