"""What a reviewer sees on the command line (audit A4-M3, A4-M5, A4-L4): units and breakdowns
in the reader's words in ``collect review``, the evidence beside each value, and
``collect evidence`` listing and verifying the stored files."""
import json

import pytest

import esgledger.cli_collect  # noqa: F401 - registers the sub-apps
from tests.collect.test_cli_collect import _rows, cli, manager_and_submitter


@pytest.fixture
def reviewed(wsdir, tmp_path, monkeypatch):
    """The demo tree with a manager and TLYX-P1's submitter; campaign 2025; TLYX-P1 has given
    its electricity consumption and the grid part of its electricity received, with a bill on
    the consumption."""
    manager_and_submitter(wsdir, monkeypatch)
    data = tmp_path / "p1.csv"
    data.write_text("entity,indicator,period,supplier,value,unit\n"
                    "TLYX-P1,electricity_consumption,2025,,7951236.42,兆瓦时\n"
                    "TLYX-P1,electricity_received,2025,grid,584285.86,兆瓦时\n", encoding="utf-8")
    r = cli(wsdir, "collect", "import", str(data), user="p1")
    assert r.exit_code == 0, r.output
    bill = tmp_path / "bill.pdf"
    bill.write_bytes(b"%PDF-1.4\n% an electricity bill\n")
    r = cli(wsdir, "collect", "attach", str(bill), "--entity", "TLYX-P1", "--indicator", "electricity_consumption",
            "--period", "2025", "--note", "电费单", user="p1")
    assert r.exit_code == 0, r.output
    return wsdir


def test_review_reads_units_and_breakdowns_in_the_readers_words_with_the_evidence(reviewed):
    zh = cli(reviewed, "collect", "review", "TLYX-P1", user="esg", lang="zh").output
    en = cli(reviewed, "collect", "review", "TLYX-P1", user="esg", lang="en").output
    # (breakdown, value, unit, evidence) of each value: 兆瓦时 is MWh in English; supplier=grid is
    # 电力来源=电网 in Chinese (the form collect return --value also takes)
    assert [(r[1], r[3], r[4], r[11]) for r in _rows(zh)[1:] if r[3]] == [
        ("", "7951236.42", "兆瓦时", "bill.pdf"), ("电力来源=电网", "584285.86", "兆瓦时", "")], zh
    assert [(r[1], r[3], r[4], r[11]) for r in _rows(en)[1:] if r[3]] == [
        ("", "7951236.42", "MWh", "bill.pdf"), ("supplier=grid", "584285.86", "MWh", "")], en
    assert _rows(zh)[0][-1] == "佐证材料" and _rows(en)[0][-1] == "evidence"
    r = cli(reviewed, "collect", "review", "TLYX-P1", "--json", user="esg")
    lines = json.loads(r.output)["lines"]
    assert [(l["indicator"], [e["file"] for e in l["evidence"]]) for l in lines] == [
        ("electricity_consumption", ["bill.pdf"]), ("electricity_received", [])]


def test_collect_evidence_lists_and_verifies_the_stored_files(reviewed):
    import hashlib

    sha = hashlib.sha256(b"%PDF-1.4\n% an electricity bill\n").hexdigest()
    r = cli(reviewed, "collect", "evidence", "TLYX-P1", "--verify", user="esg")
    assert r.exit_code == 0, r.output
    [row] = _rows(r.output)[1:]
    assert row[1:8] == ["bill.pdf", "electricity_consumption", "", "2025", "31", sha, "p1"] and row[-1] == "ok"
    assert "checked 1 file: 1 match their hash" in r.output
    r = cli(reviewed, "collect", "evidence", "TLYX-P1", "--json", user="p1")
    [rec] = json.loads(r.output)
    assert (rec["filename"], rec["sha256"], rec["stored_path"]) == ("bill.pdf", sha, f"evidence/{sha[:2]}/{sha}.pdf")
    # the stored file changed behind the ledger's back: named, exit 1, in both languages
    (reviewed / rec["stored_path"]).write_bytes(b"%PDF-1.4\n% another bill\n")
    zh = cli(reviewed, "collect", "evidence", "TLYX-P1", "--verify", user="esg", lang="zh")
    en = cli(reviewed, "collect", "evidence", "TLYX-P1", "--verify", user="esg", lang="en")
    assert zh.exit_code == en.exit_code == 1
    assert _rows(zh.output)[1][-1] == "已被改动" and "已核对 1 个文件：0 个与其散列值一致" in zh.output
    assert f"evidence/{sha[:2]}/{sha}.pdf: ESG-COLLECT-014 佐证文件无法读取：bill.pdf（编号 1）：保存的文件内容已被改动" in zh.output
    assert f"evidence/{sha[:2]}/{sha}.pdf: ESG-COLLECT-014 evidence file cannot be read: bill.pdf (id 1): the " \
           "stored file was changed since it was attached; its sha256 differs" in en.output
    (reviewed / rec["stored_path"]).unlink()
    r = cli(reviewed, "collect", "evidence", "TLYX-P1", "--verify", user="esg")
    assert r.exit_code == 1 and _rows(r.output)[1][-1] == "missing" and "the stored file is missing" in r.output
    # filters; another entity's files are out of a submitter's reach
    r = cli(reviewed, "collect", "evidence", "TLYX-P1", "--indicator", "electricity_received", user="esg")
    assert r.exit_code == 0 and "TLYX-P1 has no evidence files" in r.output
    r = cli(reviewed, "collect", "evidence", "JXTG", user="p1")
    assert r.exit_code == 1 and "ESG-ACCESS-004" in r.output
