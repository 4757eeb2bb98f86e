"""Entity files: every ESG-ENT code from a real file, and YAML/CSV round trips."""
import datetime as dt
from decimal import Decimal

import pytest

from esgledger.collect.entities_io import read_entities, write_entities_csv, write_entities_yaml
from tests.conftest import DATA, DEMO_ENTITIES


@pytest.mark.parametrize("name,expected", [
    ("cycle.yaml", [("cycle.yaml:2", "ESG-ENT-001")]),
    ("unknown_parent.csv", [("unknown_parent.csv:3", "ESG-ENT-002")]),
    ("bad_share.csv", [("bad_share.csv:3", "ESG-ENT-003")]),
    ("overlap.csv", [("overlap.csv:5", "ESG-ENT-004")]),
    ("bad_fields.csv", [("bad_fields.csv:3", "ESG-ENT-005"), ("bad_fields.csv:4", "ESG-ENT-005"),
                        ("bad_fields.csv:5", "ESG-ENT-005")]),
    ("conflict.csv", [("conflict.csv:5", "ESG-ENT-006")]),
    # every error in one pass (A2-L3), the cycle among the valid rows included: F1's level is
    # wrong (005), C1's parent unknown (002), D1 held 150 % (003), E1's two periods overlap
    # (004), A1 and B1 each other's parent (001); H1 under F1 is not an unknown parent (F1 is
    # in the file, with an error of its own)
    ("cycle_and_more.csv", [("cycle_and_more.csv:9", "ESG-ENT-005"), ("cycle_and_more.csv:5", "ESG-ENT-002"),
                            ("cycle_and_more.csv:6", "ESG-ENT-003"), ("cycle_and_more.csv:8", "ESG-ENT-004"),
                            ("cycle_and_more.csv:3", "ESG-ENT-001")]),
])
def test_entity_file_errors(name, expected):
    tree, problems = read_entities(DATA / "entities" / name)
    assert tree is None
    assert problems.flat() == expected


def test_dated_membership_moves_a_company(tmp_path):
    p = tmp_path / "moved.csv"
    p.write_text((DATA / "entities" / "overlap.csv").read_text().replace("2024-06-01", "2024-07-01"))
    tree, problems = read_entities(p)
    assert problems.flat() == []
    assert tree.parent_on("C", dt.date(2024, 6, 30)) == "G"
    assert tree.parent_on("C", dt.date(2024, 7, 1)) == "H"


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_round_trip(tmp_path, fmt):
    tree, problems = read_entities(DEMO_ENTITIES)
    assert not problems
    out = tmp_path / f"tree.{fmt}"
    out.write_text(write_entities_yaml(tree) if fmt == "yaml" else write_entities_csv(tree), encoding="utf-8")
    again, problems = read_entities(out)
    assert not problems
    assert again.entities == tree.entities
    assert again.memberships == tree.memberships


def test_effective_share_through_two_levels():
    # a plant held 60 % by a company that the group holds 50 % of: 0.5 × 0.6 = 30 %
    from esgledger.model.tree import EntityTree
    from esgledger.model.types import EntityRecord, Membership

    tree, _ = EntityTree.build(
        [EntityRecord("G", "集团", "Group", "group", "holding"),
         EntityRecord("C", "公司", "Co", "company", "holding"),
         EntityRecord("P", "厂", "Plant", "site", "smelter")],
        [Membership("C", "G", Decimal(50)), Membership("P", "C", Decimal(60), False)])
    assert tree.effective_share("G", "P", dt.date(2024, 1, 1)) == Decimal(30)
    assert not tree.controlled("G", "P", dt.date(2024, 1, 1))


def test_an_unknown_cell_technology_is_refused_on_import(tmp_path):
    p = tmp_path / "tech.yaml"
    p.write_text("entities:\n"
                 "  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding}\n"
                 "  - {code: P, name: {zh: 电解系列, en: Potline}, level: unit, process_type: smelter, parent: G,\n"
                 "     attrs: {cell_technology: XYZ}}\n"
                 "  - {code: Q, name: {zh: 电解二系列, en: Potline 2}, level: unit, process_type: smelter, parent: G,\n"
                 "     attrs: {cell_technology: PFPB}}\n", encoding="utf-8")
    tree, problems = read_entities(p)
    assert tree is None and problems.flat() == [("tech.yaml:3", "ESG-ENT-005")]
    [pr] = problems
    assert (pr.params["field"], pr.params["found"], pr.params["expected"]) == (
        "attrs.cell_technology", "XYZ", "CWPB | PFPB | SWPB | VSS | HSS")


def test_a_file_adds_to_the_stored_tree(tmp_path):
    """One new entity under a stored parent is enough; a file that closes a loop with the
    stored tree is a cycle, not an unknown parent."""
    from esgledger.workspace import init_workspace

    head = "code,name_zh,name_en,level,process_type,province,grid_region,parent,equity_share,operational_control,valid_from,valid_to,attrs\n"
    with init_workspace(tmp_path / "ws") as ws:
        assert not ws.import_entities(DEMO_ENTITIES).errors
        add = tmp_path / "add.csv"
        add.write_text(head + "Z,新公司,New Co,company,office,北京,north,TSAL,100,true,,,\n", encoding="utf-8")
        assert ws.import_entities(add).flat() == []
        assert ws.tree.parent_on("Z", dt.date(2024, 12, 31)) == "TSAL"
        assert "TLYX" in ws.tree.entities  # the rest of the tree is still there
        loop = tmp_path / "loop.csv"
        loop.write_text(head + "TSAL,天山铝业,Tianshan Aluminum Group Co. Ltd.,group,holding,新疆,northwest,Z,100,true,,,\n",
                        encoding="utf-8")
        problems = ws.import_entities(loop)
        assert [c for _loc, c in problems.flat()] == ["ESG-ENT-001"]
        assert ws.tree.parent_on("TSAL", dt.date(2024, 12, 31)) is None  # nothing landed


def test_entity_field_errors_read_in_chinese(tmp_path):
    p = tmp_path / "share.csv"
    p.write_text("code,name_zh,name_en,level,process_type,province,grid_region,parent,equity_share,operational_control,valid_from,valid_to,attrs\n"
                 "G,集团,Group,group,holding,,,,abc,true,,,\n", encoding="utf-8")
    tree, problems = read_entities(p)
    [pr] = problems
    assert pr.code == "ESG-ENT-005" and "应为 百分比数值，实际为 abc" in pr.render("zh")
    assert "expected a number of percent, found abc" in pr.render("en")


def test_a_malformed_attribute_is_reported_not_dropped(tmp_path):
    p = tmp_path / "attrs.csv"
    p.write_text("code,name_zh,name_en,level,process_type,province,grid_region,parent,equity_share,operational_control,valid_from,valid_to,attrs\n"
                 "G,集团,Group,group,holding,,,,100,true,,,cell_technology\n", encoding="utf-8")
    tree, problems = read_entities(p)
    assert tree is None and problems.flat() == [("attrs.csv:2", "ESG-ENT-005")]
    assert "应为 键=值;键=值，实际为 cell_technology" in problems[0].render("zh")


@pytest.mark.parametrize("text,line", [
    ("entities:\n  - {code: G, name: {zh: 集团\n", 3),     # not YAML (an unclosed mapping)
    ("entity:\n  - {code: G}\n", 1),                     # no list under entities:
])
def test_a_malformed_entity_file_is_an_entity_file_error(tmp_path, text, line):
    p = tmp_path / "tree.yaml"
    p.write_text(text, encoding="utf-8")
    tree, problems = read_entities(p)
    assert tree is None and [c for _l, c in problems.flat()] == ["ESG-ENT-007"]
    assert problems[0].location.line == line
    assert "主体文件格式错误" in problems[0].render("zh")
