"""A figure resting on data not yet approved says so where it is read (audit A5-L3): the KPI
table, the report's narrative and tables, ``esgledger explain``; computed when read, so
approving the inputs clears it without a calculation run.

The ledger (demo entity tree; JXTG and NJTS are companies of the group TSAL with no entities
below them), 2024, in a single-user workspace (``report.inputs = all``: each fact's latest
revision feeds calculations):

    JXTG employees 400, of whom female 50      imported approved
    NJTS employees 600                         imported submitted (the import's default)
    NJTS employees, female, 100                imported as a draft

Worked by hand:

    figure                    value                     rests on, not yet approved
    TSAL employees            400 + 600 = 1,000         NJTS employees                  (1 fact)
    TSAL female employees     50 + 100 = 150            NJTS employees (female)         (1 fact)
    TSAL female share         150 / 1,000 = 15.00 %     NJTS employees, NJTS female     (2 facts; the
                                                        first by key: the total, dims "" before
                                                        "gender=female")
    JXTG employees (own)      400                       none
    NJTS employees (own)      600                       itself                          (1 fact)
"""
from __future__ import annotations

import json

import pytest

from esgledger.report.build import build_document
from esgledger.report.context import ReportContext
from esgledger.report.definition import load_definition
from esgledger.report.gap import check_gaps
from esgledger.report.document import Chart, Paragraph, Table, walk
from esgledger.report.kpi import build_kpi_table
from esgledger.report.kpi_render import kpi_document_table
from esgledger.store.access import ScopedStore
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DEMO_ENTITIES, write
from tests.test_explain_marks import _run as _explain  # explain female_employee_share --entity TSAL --period 2024

HEAD = "entity,indicator,period,value,unit,gender\n"
APPROVED = HEAD + "JXTG,employees,2024,400,人,\nJXTG,employees,2024,50,人,female\n"
SUBMITTED = HEAD + "NJTS,employees,2024,600,人,\n"
DRAFT = HEAD + "NJTS,employees,2024,100,人,female\n"
LAYOUT = {"years": [2024], "sections": [{"dimension": "S", "topic": "labour_rights", "rows": [
    {"indicator": "employees"},
    {"indicator": "employees", "dims": {"gender": "female"}, "label": {"zh": "女性员工人数", "en": "Female employees"}},
    {"indicator": "female_employee_share"},
    {"indicator": "employees", "entity": "JXTG"},
    {"indicator": "employees", "entity": "NJTS"}]}]}
DEFINITION = """\
version: 1
title: {zh: 报告, en: Report}
organisation: {zh: 示范集团, en: Demo Group}
period: 2024
chapters:
  - id: people
    title: {zh: 员工, en: People}
    narrative:
      zh: |
        员工{{ fact employees P }}，女性占比{{ fact female_employee_share P }}，靖西天桂员工{{ fact employees P entity=JXTG }}。
      en: |
        Employees {{ fact employees P unit=no }}, female share {{ fact female_employee_share P }}, at JXTG {{ fact employees P entity=JXTG unit=no }}.
    charts:
      - kind: bar
        title: {zh: 员工人数, en: Employees}
        series: [{indicator: employees}]
  - id: data
    title: {zh: 数据, en: Data}
    table: indicators
    indicators: [employees, female_employee_share]
"""
# the notes, worked out above, in each language
ONE_TOTAL = {"en": "Rests on data not yet approved: NJTS Employees.",
             "zh": "所依据的数据尚未批准：NJTS 员工总人数。"}
ONE_FEMALE = {"en": "Rests on data not yet approved: NJTS Employees (Female).",
              "zh": "所依据的数据尚未批准：NJTS 员工总人数（女性）。"}
TWO = {"en": "Rests on data not yet approved: 2 facts, e.g. NJTS Employees.",
       "zh": "所依据的数据尚未批准：2 条，例如 NJTS 员工总人数。"}


def _import(ws, root, name, text, status=None):
    rep = ws.import_facts(write(root / name, text), status=status, author="test")
    assert rep.problems.flat() == [], rep.problems.flat()


@pytest.fixture
def ledger(tmp_path, store_url):
    ws = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    _import(ws, tmp_path, "a.csv", APPROVED, "approved")
    _import(ws, tmp_path, "s.csv", SUBMITTED)
    _import(ws, tmp_path, "d.csv", DRAFT, "draft")
    ws.calc("2024")
    yield ws, tmp_path
    ws.close()


def kpi_marks(ws, lang: str) -> dict[str, tuple[str, list[str]]]:
    """Each row of the KPI table of :data:`LAYOUT`: its 2024 text and the notes of its marks."""
    table = kpi_document_table(build_kpi_table(ws, 2024, LAYOUT), lang)
    notes = {f.mark: f.text for f in table.footnotes}
    return {r.cells[0].text: (r.cells[2].text, [notes[m] for m in r.cells[2].marks])
            for r in table.rows if len(r.cells) > 2}


def test_the_kpi_table_notes_each_figure_on_data_not_yet_approved(ledger):
    ws, _root = ledger
    assert ws.inputs == "all"
    for lang in ("en", "zh"):
        rows = kpi_marks(ws, lang)
        employees, female, share = ("Employees", "Female employees", "Female share") if lang == "en" else \
            ("员工总人数", "女性员工人数", "女性员工占比")
        assert rows[employees] == ("1,000", [ONE_TOTAL[lang]])
        assert rows[female] == ("150", [ONE_FEMALE[lang]])
        assert rows[share] == ("15.00", [TWO[lang]])
        jxtg, njts = [k for k in rows if "JXTG" in k or "靖西" in k or "Jingxi" in k], \
            [k for k in rows if "Nanjiang" in k or "南疆" in k]
        assert rows[jxtg[0]] == ("400", [])
        assert rows[njts[0]] == ("600", [ONE_TOTAL[lang]])  # shown itself: the same note, one footnote
    table = kpi_document_table(build_kpi_table(ws, 2024, LAYOUT), "en")
    assert [f.mark for f in table.footnotes] == ["1", "2", "3"]


def test_approving_the_inputs_clears_the_mark_without_a_run(ledger):
    ws, root = ledger
    total = ws.value("TSAL", "employees", "2024", basis="control")
    # approval writes a new revision of each value, the same value (as collect approve does)
    _import(ws, root, "ok.csv", SUBMITTED + DRAFT[len(HEAD):], "approved")
    assert all(notes == [] for _text, notes in kpi_marks(ws, "en").values())
    # a run writes nothing new: the figure keeps its lineage to the revisions approved since,
    # and is judged by each key's current revision
    ws.calc("2024")
    assert ws.value("TSAL", "employees", "2024", basis="control").id == total.id
    assert all(notes == [] for _text, notes in kpi_marks(ws, "zh").values())
    # a correction submitted since: the current revision is not approved again
    _import(ws, root, "fix.csv", HEAD + "NJTS,employees,2024,650,人,\n")
    rows = kpi_marks(ws, "en")
    assert rows["Employees"] == ("1,000", [ONE_TOTAL["en"]])  # not yet recalculated: 1,000 on the 600
    assert rows["Female employees"] == ("150", [])


def test_with_approved_inputs_only_no_calculated_figure_rests_on_unapproved_data(ledger):
    """``report.inputs = approved`` (a workspace with users): the calculations read each key's
    latest approved revision, so nothing below a calculated figure is unapproved; and so do the
    KPI table and the report for a value they print themselves (docs/workspace.md: what feeds
    calculations and reports)."""
    ws, root = ledger
    _import(ws, root, "ok.csv", SUBMITTED + DRAFT[len(HEAD):], "approved")
    _import(ws, root, "fix.csv", HEAD + "NJTS,employees,2024,650,人,\n")  # submitted after the approval
    ScopedStore.system(ws.store).add_user("esg", "correct horse battery", "manager")
    with open_workspace(ws.path, user="esg", password="correct horse battery") as mine:
        assert mine.inputs == "approved"
        mine.calc("2024")
        rows = kpi_marks(mine, "en")
        assert rows["Employees"] == ("1,000", [])          # 400 + the approved 600, not the 650
        assert rows["Female employees"] == ("150", [])
        assert rows["Female share"] == ("15.00", [])
        njts = next(k for k in rows if "Nanjiang" in k)
        # printed itself: its approved 600 too, as report.inputs says (not the submitted 650
        # beside a total of 400 + 600), with nothing unapproved below it
        assert rows[njts] == ("600", [])
        # the gap check lists the revision awaiting approval, which the report leaves out
        defn, _p = load_definition(text=DEFINITION, library=mine.library, name="report.yaml")
        gaps = check_gaps(ReportContext(mine, defn), "en")
        assert [i.text for i in gaps.items if i.kind == "not_approved"] == [
            "Employees: 1 fact not approved (submitted 1)"]


def test_the_report_notes_the_figures_in_its_narrative_and_tables(ledger):
    ws, _root = ledger
    defn, problems = load_definition(text=DEFINITION, library=ws.library, name="report.yaml")
    assert problems.flat() == []
    ctx = ReportContext(ws, defn)
    docs = {lang: build_document(ctx, lang) for lang in ("zh", "en")}
    zh = [b.text for b, _d in walk(docs["zh"]) if isinstance(b, Paragraph)]
    assert zh[:3] == ["员工1,000人①，女性占比15.00%②，靖西天桂员工400人。", "①" + ONE_TOTAL["zh"], "②" + TWO["zh"]]
    en = [b.text for b, _d in walk(docs["en"]) if isinstance(b, Paragraph)]
    assert en[:3] == ["Employees 1,000[a], female share 15.00%[b], at JXTG 400.",
                      "[a] " + ONE_TOTAL["en"], "[b] " + TWO["en"]]
    table = next(b for b, _d in walk(docs["en"]) if isinstance(b, Table) and b.caption == "Data")
    notes = {f.mark: f.text for f in table.footnotes}
    marks = {r.cells[0].text: [notes[m] for m in r.cells[-1].marks if notes[m].startswith("Rests")]
             for r in table.rows}
    assert marks == {"Employees": [ONE_TOTAL["en"]], "Female share": [TWO["en"]]}
    # the chart of the 2024 employees (its only year): a note under it
    charts = {lang: next(c for c, _d in walk(docs[lang]) if isinstance(c, Chart)) for lang in ("zh", "en")}
    assert [f.text for f in charts["zh"].footnotes] == ["图中数值所依据的数据尚未批准：NJTS 员工总人数。"]
    assert [f.text for f in charts["en"].footnotes] == ["All values rest on data not yet approved: NJTS Employees."]


def test_explain_says_what_the_figure_rests_on_that_is_not_yet_approved(ledger):
    ws, root = ledger
    en, zh, js = _explain(ws.path), _explain(ws.path, lang="zh"), _explain(ws.path, "--json")
    assert en.exit_code == zh.exit_code == js.exit_code == 0, en.output + zh.output + js.output
    lines = en.output.splitlines()
    assert lines[0].startswith("TSAL Female share female_employee_share 2024: 15.00 %")
    assert lines[0].endswith("[rests on data not yet approved: 2 facts, e.g. NJTS Employees]")
    njts = [ln for ln in lines if ln.lstrip("│├└─ ").startswith("NJTS")]
    assert njts and all(ln.endswith(("[not yet approved (submitted)]", "[not yet approved (draft)]")) for ln in njts)
    jxtg = [ln for ln in lines if ln.lstrip("│├└─ ").startswith("JXTG")]
    assert jxtg and not any("approved" in ln for ln in jxtg)  # approved: nothing to say
    zh_lines = zh.output.splitlines()
    assert zh_lines[0].endswith("[所依据的数据尚未批准：2 条，例如 NJTS 员工总人数]")
    assert any(ln.endswith("[尚未批准（草稿）]") for ln in zh_lines)
    tree = json.loads(js.output)
    assert tree["unapproved"] == {
        "facts": [["NJTS", "employees", "2024", "", "own"], ["NJTS", "employees", "2024", "gender=female", "own"]],
        "status": None, "note": "rests on data not yet approved: 2 facts, e.g. NJTS Employees"}
    # approved since: no mark, read now
    _import(ws, root, "ok.csv", SUBMITTED + DRAFT[len(HEAD):], "approved")
    again = _explain(ws.path)
    assert again.exit_code == 0 and "approved" not in again.stdout
    assert json.loads(_explain(ws.path, "--json").stdout)["unapproved"] is None


def test_a_narrative_has_marks_for_more_notes_than_kinds_of_figure():
    """Each distinct note on data not yet approved takes a mark: ① … ⑳ then (21) in Chinese,
    [a] … [z] then [27] in English (there were nine)."""
    from esgledger.report.build import narrative_mark

    assert [narrative_mark(i, "zh") for i in (0, 8, 9, 19, 20)] == ["①", "⑨", "⑩", "⑳", "(21)"]
    assert [narrative_mark(i, "en") for i in (0, 8, 9, 25, 26)] == ["[a]", "[i]", "[j]", "[z]", "[27]"]


def test_explain_says_no_run_is_due_for_a_revision_awaiting_approval(ledger):
    """With ``report.inputs = approved`` a value submitted after an approval is not what a run
    reads: explain's note that a run is due (cli_explain._stale_inputs) does not name it. Once
    it is approved with another value, a run would read it, and the note names it."""
    from esgledger.cli_explain import _stale_inputs

    ws, root = ledger
    _import(ws, root, "ok.csv", SUBMITTED + DRAFT[len(HEAD):], "approved")
    ScopedStore.system(ws.store).add_user("esg", "correct horse battery", "manager")
    with open_workspace(ws.path, user="esg", password="correct horse battery") as mine:
        assert mine.inputs == "approved"
        mine.calc("2024")
        _import(mine, root, "fix.csv", HEAD + "NJTS,employees,2024,650,人,\n")  # submitted
        node = mine.explain("employees", "TSAL", "2024", "", None)
        assert node.fact.value == "1000" and _stale_inputs(mine, node) == []  # 400 + the approved 600
        _import(mine, root, "fix2.csv", HEAD + "NJTS,employees,2024,650,人,\n", "approved")
        node = mine.explain("employees", "TSAL", "2024", "", None)
        assert _stale_inputs(mine, node) == ["NJTS employees 2024"]
        mine.calc("2024")
        node = mine.explain("employees", "TSAL", "2024", "", None)
        assert node.fact.value == "1050" and _stale_inputs(mine, node) == []
