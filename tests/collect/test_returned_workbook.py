"""A workbook fetched again after a return (UAT3 M12): it holds what the plant submitted, with
the reviewer's comment on each value it is about, so the plant corrects one figure instead of
typing the whole workbook again; imported back unchanged it restates the same values."""
import openpyxl
import pytest

from esgledger.collect.campaign import open_campaign, open_desk
from esgledger.collect.review import return_entity
from esgledger.collect.submission import import_workbook, submit_values
from esgledger.collect.templates import generate_workbook, layout_for

SITE = "XRLB"  # a plant of the demo tree


@pytest.fixture
def desk(sqlite_workspace):
    return open_desk(sqlite_workspace)


def _cells(desk, c, path, lang):
    """(indicator, dims) → (value cell, comment cell) of the workbook at ``path``."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for sh in layout_for(desk, c, SITE, lang).sheets:
        for s in sh.slots:
            if not s.monthly:
                out[(s.indicator, s.dims)] = (wb[sh.title].cell(s.row, s.value_cols[0]),
                                              wb[sh.title].cell(s.row, s.comment_col))
    return out


def test_a_workbook_fetched_after_a_return_holds_the_submission_and_the_reviewers_comments(desk, tmp_path):
    c = open_campaign(desk, "2025")
    rep = submit_values(desk, c, SITE, [
        {"indicator": "electricity_consumption", "value": "5550000", "comment": "按电表读数"},
        {"indicator": "safety_target_zero_fatalities_achieved", "value": "是"}], submit=True)
    assert rep.ok, rep.problems
    out = return_entity(desk, c, SITE, value_comments={("electricity_consumption", "", "2025"): "请核对十二月读数",
                                                        ("water_consumption", "", "2025"): "请补充用水量"})
    assert out.ok and out.status == "returned"

    zh = _cells(desk, c, generate_workbook(desk, c, SITE, tmp_path / "zh", lang="zh"), "zh")
    value, comment = zh[("electricity_consumption", "")]
    assert (value.value, comment.value) == (5550000, "按电表读数")
    assert value.comment is not None and value.comment.text == "审核意见：请核对十二月读数"
    assert zh[("safety_target_zero_fatalities_achieved", "")][0].value == "是"  # yes/no in the reader's words
    water = zh[("water_consumption", "")][0]
    assert water.value is None and water.comment.text == "审核意见：请补充用水量"  # asked for, not given
    assert zh[("employees", "")][0].value is None and zh[("employees", "")][0].comment is None
    en_path = generate_workbook(desk, c, SITE, tmp_path / "en", lang="en")
    en = _cells(desk, c, en_path, "en")
    assert en[("safety_target_zero_fatalities_achieved", "")][0].value == "yes"
    assert en[("electricity_consumption", "")][0].comment.text == "Reviewer: 请核对十二月读数"

    # imported back as it came, it restates the same two values (drafts again, the entity in
    # progress) and nothing else
    rep = import_workbook(desk, tmp_path / "zh" / f"2025_{SITE}_zh.xlsx")
    assert rep.ok and rep.changed == 2 and rep.status == {SITE: ("in_progress", 4)}, rep
    with desk.store.reading() as conn:
        from esgledger.collect.campaign import current_facts
        now = current_facts(conn, SITE, ["2025"])
    assert {(k[0], f.value, f.status, f.comment) for k, f in now.items()} == {
        ("electricity_consumption", "5550000", "draft", "按电表读数"),
        ("safety_target_zero_fatalities_achieved", "yes", "draft", None)}

    # once the plant answers (a new value written), the comment is no longer on the cell
    assert submit_values(desk, c, SITE, [{"indicator": "electricity_consumption", "value": "5560000"}]).ok
    again = _cells(desk, c, generate_workbook(desk, c, SITE, tmp_path / "again", lang="zh"), "zh")
    assert again[("electricity_consumption", "")][0].value == 5560000
    assert again[("electricity_consumption", "")][0].comment is None
    assert again[("water_consumption", "")][0].comment.text == "审核意见：请补充用水量"
