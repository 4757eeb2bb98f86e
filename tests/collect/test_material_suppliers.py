"""Purchased materials by supplier in a collection workbook (Scope 3 category 1 by supplier).

The workspace lists its suppliers under ``vendor``, which ``dimensions.yaml`` declares to be
reported within ``material``: a workbook asks ``purchased_material`` for the total, each
material, and each material × supplier, never for a supplier alone (a supplier's quantity
means nothing without the material). The rows land as facts with both dimensions, which is
what the Scope 3 calculation reads (tests/calc/test_scope3_suppliers.py).
"""
from esgledger.collect.campaign import open_campaign, open_desk
from esgledger.collect.submission import import_workbook
from esgledger.collect.templates import breakdown_keys, fill_workbook, generate_workbook, layout_for
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DEMO_ENTITIES

VENDORS = """dimensions:
  - code: vendor
    members:
      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}}
      - {code: hnzl, name: {zh: 河南中铝, en: Henan refinery}}
"""
MATERIALS = ["alumina", "petroleum_coke", "pitch", "caustic_soda", "aluminium_fluoride", "bauxite",
             "primary_aluminium"]


def _workspace(tmp_path, vendors: bool = True):
    ws = init_workspace(tmp_path / "ws", lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    ws.close()
    if vendors:
        (tmp_path / "ws" / "library").mkdir(exist_ok=True)
        (tmp_path / "ws" / "library" / "dimensions.yaml").write_text(VENDORS, encoding="utf-8")
    return open_workspace(tmp_path / "ws")


def test_rows_are_the_total_each_material_and_each_material_by_supplier(tmp_path):
    ws = _workspace(tmp_path)
    keys = breakdown_keys(ws.library, "purchased_material", "en")
    expected = [""]
    for m in MATERIALS:
        expected += [f"material={m}", f"material={m};vendor=jxtg", f"material={m};vendor=hnzl"]
    assert [k for k, _ in keys] == expected
    labels = dict(keys)
    assert labels["material=alumina;vendor=jxtg"] == "Purchased material: Alumina / Material supplier: Jingxi Tiangui"
    zh = dict(breakdown_keys(ws.library, "purchased_material", "zh"))
    assert zh["material=alumina;vendor=hnzl"] == "外购原辅材料: 氧化铝 / 材料供应商: 河南中铝"
    ws.close()


def test_without_suppliers_the_rows_are_as_before(tmp_path):
    ws = _workspace(tmp_path, vendors=False)
    assert [k for k, _ in breakdown_keys(ws.library, "purchased_material", "en")] == [
        ""] + [f"material={m}" for m in MATERIALS]
    # a dimension not nested in another keeps its own rows (freight by transport mode)
    assert [k for k, _ in breakdown_keys(ws.library, "freight_transport", "en")] == [
        "", "transport_mode=rail", "transport_mode=road", "transport_mode=ship"]
    ws.close()


def test_a_filled_workbook_lands_material_by_supplier_facts(tmp_path):
    ws = _workspace(tmp_path)
    desk = open_desk(ws)
    campaign = open_campaign(desk, "2024", due="2025-03-31", entities=["TLYX-P1"])
    layout = layout_for(desk, campaign, "TLYX-P1", "zh")
    slots = {s.dims for sh in layout.sheets for s in sh.slots if s.indicator == "purchased_material"}
    assert "material=alumina;vendor=jxtg" in slots and "vendor=jxtg" not in slots
    path = generate_workbook(desk, campaign, "TLYX-P1", tmp_path / "out", lang="zh")
    values = {("purchased_material", "material=alumina", "2024"): "20000",
              ("purchased_material", "material=alumina;vendor=jxtg", "2024"): "12000",
              ("purchased_material", "material=alumina;vendor=hnzl", "2024"): "3000"}
    filled = fill_workbook(path, layout, values, out=tmp_path / "filled.xlsx")
    rep = import_workbook(desk, filled)
    assert rep.ok, rep.flat()
    got = {f.dims: f.value for f in ws.store.current_facts(entity="TLYX-P1", indicator="purchased_material")}
    assert got == {"material=alumina": "20000", "material=alumina;vendor=jxtg": "12000",
                   "material=alumina;vendor=hnzl": "3000"}
    ws.close()


def test_suppliers_above_the_material_are_a_warning_to_explain(tmp_path):
    """8 000 t of alumina but 9 000 t from one supplier: the import warns (ESG-VAL-005) and the
    submitter has to explain it, as with a breakdown that does not add up."""
    ws = _workspace(tmp_path)
    desk = open_desk(ws)
    campaign = open_campaign(desk, "2024", due="2025-03-31", entities=["TLYX-P1"])
    layout = layout_for(desk, campaign, "TLYX-P1", "en")
    path = generate_workbook(desk, campaign, "TLYX-P1", tmp_path / "out", lang="en")
    values = {("purchased_material", "material=alumina", "2024"): "8000",
              ("purchased_material", "material=alumina;vendor=jxtg", "2024"): "9000"}
    rep = import_workbook(desk, fill_workbook(path, layout, values, out=tmp_path / "filled.xlsx"))
    assert [p.code for p in rep.problems.warnings] == ["ESG-VAL-005"]
    assert len(rep.unexplained) == 1
    ws.close()


NARROW = """dimensions:
  - code: vendor
    members:
      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}, within: [alumina]}
      - {code: hnzl, name: {zh: 河南中铝, en: Henan refinery}, within: [alumina, caustic_soda]}
      - {code: any, name: {zh: 综合供应商, en: General supplier}}
"""


def test_a_supplier_that_names_its_materials_is_asked_for_those_only(tmp_path):
    """A workspace may say which materials a supplier sells (a member's ``within``): the
    workbook then asks that supplier only for those, and a supplier that says nothing for
    every material, as before."""
    ws = _workspace(tmp_path)
    ws.close()
    (tmp_path / "ws" / "library" / "dimensions.yaml").write_text(NARROW, encoding="utf-8")
    ws = open_workspace(tmp_path / "ws")
    keys = [k for k, _ in breakdown_keys(ws.library, "purchased_material", "en")]
    expected = ["", "material=alumina", "material=alumina;vendor=jxtg", "material=alumina;vendor=hnzl",
                "material=alumina;vendor=any"]
    for m in MATERIALS[1:]:
        expected += [f"material={m}"] + ([f"material={m};vendor=hnzl"] if m == "caustic_soda" else []) + [
            f"material={m};vendor=any"]
    assert keys == expected
    ws.close()


def test_an_import_pairing_a_supplier_with_a_material_it_does_not_sell_is_refused(tmp_path):
    """Row 3 gives pitch from the alumina supplier: ESG-IMPORT-011 at its supplier cell, naming
    what the supplier sells; nothing of the file lands. The same supplier's alumina and the
    general supplier's pitch are accepted."""
    ws = _workspace(tmp_path)
    ws.close()
    (tmp_path / "ws" / "library" / "dimensions.yaml").write_text(NARROW, encoding="utf-8")
    ws = open_workspace(tmp_path / "ws")
    bad = tmp_path / "materials.csv"
    bad.write_text("entity,indicator,period,value,unit,material,vendor\n"
                   "TLYX-P1,purchased_material,2024,12000,吨,alumina,jxtg\n"
                   "TLYX-P1,purchased_material,2024,500,吨,pitch,jxtg\n"
                   "TLYX-P1,purchased_material,2024,400,吨,pitch,any\n", encoding="utf-8")
    rep = ws.import_facts(bad)
    assert not rep.ok and [(p.code, p.location.line, p.location.column) for p in rep.problems.errors] == [
        ("ESG-IMPORT-011", 3, "vendor")]
    msg = rep.problems.errors[0].message("en")
    assert "material=pitch;vendor=jxtg" in msg and "alumina" in msg, msg
    assert "alumina" in rep.problems.errors[0].message("zh")
    assert ws.store.current_facts(indicator="purchased_material") == []
    good = tmp_path / "good.csv"
    good.write_text("entity,indicator,period,value,unit,material,vendor\n"
                    "TLYX-P1,purchased_material,2024,12000,吨,alumina,jxtg\n"
                    "TLYX-P1,purchased_material,2024,400,吨,pitch,any\n", encoding="utf-8")
    assert ws.import_facts(good).ok
    assert {f.dims for f in ws.store.current_facts(indicator="purchased_material")} == {
        "material=alumina;vendor=jxtg", "material=pitch;vendor=any"}
    ws.close()


def test_a_supplier_of_the_workspace_reads_by_its_name_in_review_and_back_in_return(tmp_path, monkeypatch):
    """The review table names a breakdown by the workspace's dimensions (the shipped ``vendor``
    has no members; this workspace's has 靖西天桂), in the form ``collect return --value`` takes
    back; messages, which have no library at hand, name the shipped part and keep the codes."""
    from esgledger import cli
    from esgledger.cli_collect import _breakdowns, value_comment
    from esgledger.model.errors import dims_zh

    ws = _workspace(tmp_path)
    key = "material=alumina;vendor=jxtg"
    monkeypatch.setattr(cli.STATE, "lang", "zh")
    shown = _breakdowns(ws.library)(key)
    # material 外购原辅材料, alumina 氧化铝; vendor 材料供应商, jxtg 靖西天桂 (VENDORS above)
    assert shown == "外购原辅材料=氧化铝;材料供应商=靖西天桂"
    assert value_comment(ws.library, f"purchased_material[{shown}]=请核对发票", "2025") == \
        (("purchased_material", key, "2025"), "请核对发票")
    assert dims_zh(key) == "外购原辅材料=氧化铝（material=alumina）;vendor=jxtg"
    monkeypatch.setattr(cli.STATE, "lang", "en")
    assert _breakdowns(ws.library)(key) == key and _breakdowns(ws.library)(None) == ""
    ws.close()
