"""Documentation that must not drift: CLI commands, settings, error codes, generated pages."""
import re
from pathlib import Path

import typer.main

from esgledger import docsgen
from esgledger.cli import app
from esgledger.model.errors import CATALOGUE

ROOT = Path(__file__).parents[1]


def _commands(group, prefix: str = "esgledger"):
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, full)
        else:
            yield full, cmd


def test_every_cli_command_and_option_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    cli = typer.main.get_command(app)
    missing = []
    for full, cmd in _commands(cli):
        if f"`{full}" not in doc:
            missing.append(full)
        for p in cmd.params:
            for opt in p.opts:
                if opt.startswith("--") and opt not in doc:
                    missing.append(f"{full} {opt}")
    assert missing == []


def test_every_workspace_setting_is_documented():
    doc = (ROOT / "docs" / "workspace.md").read_text(encoding="utf-8")
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "esgledger").rglob("*.py"))
    used = set(re.findall(r'config(?:\.get\("(\w+)"[^)]*\)|\["(\w+)"\])(?:\.get\("(\w+)"|\["(\w+)"\])', src))
    keys = {f"{a or b}.{c or d}" for a, b, c, d in used}
    assert keys and all(f"`{k}`" in doc for k in keys), sorted(k for k in keys if f"`{k}`" not in doc)


def test_generated_pages_are_current():
    assert docsgen.main(["--check"]) == 0


def test_every_error_code_has_a_test():
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py")
                      if p.name != "test_docs.py")
    assert [c for c in CATALOGUE if c not in tests] == []
