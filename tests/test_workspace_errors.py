"""Workspace errors carry a catalogued problem (ESG-WS-0xx) and read in both languages."""
import pytest
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.workspace import WorkspaceError, init_workspace, open_workspace

runner = CliRunner()


def code_of(call):
    with pytest.raises(WorkspaceError) as exc:
        call()
    return exc.value.problem


def test_no_workspace_and_an_existing_one(tmp_path):
    p = code_of(lambda: open_workspace(tmp_path / "nowhere"))
    assert p.code == "ESG-WS-001" and "esgledger init" in p.render("en") and "不是工作区" in p.render("zh")
    init_workspace(tmp_path / "ws").close()
    p = code_of(lambda: init_workspace(tmp_path / "ws"))
    assert p.code == "ESG-WS-002" and "已经是一个工作区" in p.render("zh")


def test_a_workspace_without_entities_cannot_name_its_root(tmp_path):
    with init_workspace(tmp_path / "ws") as ws:
        p = code_of(ws.root)
    assert p.code == "ESG-WS-004" and "entities import" in p.render("en")


def test_the_demo_refuses_to_overwrite_what_it_did_not_make(tmp_path):
    from rich.console import Console

    from esgledger.demo.build import build_demo

    init_workspace(tmp_path / "mine").close()  # not a demo
    p = code_of(lambda: build_demo(tmp_path / "mine", console=Console(quiet=True)))
    assert p.code == "ESG-WS-005" and "拒绝覆盖" in p.render("zh")
    demo = tmp_path / "demo"  # a demo whose store is on a server: rebuilding would not reset it
    init_workspace(demo).close()
    cfg = demo / "esgledger.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("[workspace]", "[workspace]\ndemo = true")
                   .replace('url = "sqlite:///ledger.db"', 'url = "postgresql://esg@db.example/ledger"'),
                   encoding="utf-8")
    p = code_of(lambda: build_demo(demo, console=Console(quiet=True)))
    assert p.code == "ESG-WS-006"


def test_the_command_line_says_it_in_the_users_language(tmp_path):
    from esgledger.cli import _message

    STATE.lang = "zh"
    try:
        r = runner.invoke(app, ["--lang", "zh", "-w", str(tmp_path / "nowhere"), "facts", "export"])
        assert r.exit_code == 1 and isinstance(r.exception, WorkspaceError)
        assert _message(r.exception) == (f"{tmp_path / 'nowhere'}: ESG-WS-001 不是工作区：此处不是工作区（缺少 "
                                         f"esgledger.toml）；请先用 `esgledger init {tmp_path / 'nowhere'}` 创建")
    finally:
        STATE.lang = "en"
