"""The demo group's 2024 data, collected as a campaign: open it, generate every entity's
workbook, fill each from the demo's data as its submitter would, import, explain the warnings,
submit, review and approve. The approved ledger then equals the demo's 2024 ledger."""
from decimal import Decimal
from importlib import resources
from pathlib import Path

from esgledger.collect.campaign import open_campaign, open_desk, status_table
from esgledger.collect.interchange import check_table, read_table
from esgledger.collect.review import approve_entity, review_entity
from esgledger.collect.submission import import_workbook
from esgledger.collect.templates import fill_workbook, generate_workbook, layout_for
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES

PW = "correct horse battery"


def _demo_facts(ws, year: int):
    with resources.as_file(resources.files("esgledger.demo").joinpath("data", f"facts-{year}.csv")) as p:
        table, problems = read_table(Path(p))
        assert table is not None, problems.flat()
        rep = check_table(table, ws.library, ws.entity_index(), status="approved")
    assert rep.ok, rep.problems.flat()
    return rep.facts


def test_demo_2024_round_trip(tmp_path, monkeypatch):
    from argon2 import PasswordHasher, profiles

    from esgledger.store import access

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))
    ws = init_workspace(tmp_path / "ws", lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    for year in (2022, 2023):  # earlier years, as the demo loads them: last year's values
        with resources.as_file(resources.files("esgledger.demo").joinpath("data", f"facts-{year}.csv")) as p:
            assert ws.import_facts(Path(p), status="approved", author="demo").ok
    demo = _demo_facts(ws, 2024)
    entities = sorted({f.entity for f in demo})

    admin = open_desk(ws)
    admin.store.add_user("esg", PW, "manager")
    for e in entities:
        admin.store.add_user(f"sub-{e}", PW, "submitter", entity=e)
    esg = open_desk(ws, "esg", PW)
    campaign = open_campaign(esg, "2024", due="2025-03-31")

    explained = 0
    for n, entity in enumerate(entities):
        desk = open_desk(ws, f"sub-{entity}", PW)
        lang = "zh" if n % 2 else "en"
        path = generate_workbook(desk, campaign, entity, tmp_path / "out", lang=lang)
        layout = layout_for(desk, campaign, entity, lang)
        values = {(f.indicator, f.dims, f.period): (f.value, f.comment) if f.comment else f.value
                  for f in demo if f.entity == entity}
        filled = fill_workbook(path, layout, values, out=tmp_path / "filled" / path.name)
        rep = import_workbook(desk, filled, submit=True, dry_run=True)
        assert not rep.problems.errors or {p.code for p in rep.problems.errors} == {"ESG-COLLECT-007"}, rep.flat()
        explained += len(rep.unexplained)
        if rep.unexplained:  # the submitter explains each warning in a comment, as the template asks
            for fd in rep.unexplained:
                key = next(k for k in values if k[0] in fd.indicators and k[2] == fd.period)
                v = values[key]
                values[key] = (v[0] if isinstance(v, tuple) else v, "as published in the 2024 report")
            filled = fill_workbook(path, layout, values, out=filled)
        rep = import_workbook(desk, filled, submit=True)
        assert rep.ok and rep.submitted, (entity, rep.flat())

    # the demo's data is consistent plant by plant; the seed's own inconsistencies show in the
    # consolidated figures (esgledger validate), not in any one workbook
    assert explained == 0
    assert {r.status for r in status_table(esg, campaign)} >= {"submitted"}
    for entity in entities:
        sheet = review_entity(esg, campaign, entity)
        assert all(line.status == "submitted" for line in sheet.lines)
        out = approve_entity(esg, campaign, entity, version=sheet.version)
        assert out.ok, out.problems.flat()

    def value(f):  # a number compared as one; a category (the disclosure rating "A", unit 级) as text
        return (f.value if ws.library[f.indicator].value_type == "category" else Decimal(f.value), f.unit)

    approved = {(f.entity, f.indicator, f.period, f.dims): value(f)
                for f in esg.store.current_facts(period="2024", status="approved")}
    expected = {(f.entity, f.indicator, f.period, f.dims): value(f) for f in demo}
    assert approved == expected
    assert len(approved) == len(demo) > 600
    assert {r.entity: r.status for r in status_table(esg, campaign) if r.entity in entities} == \
        dict.fromkeys(entities, "approved")
    ws.close()
