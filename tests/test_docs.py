"""Documentation that must not drift: CLI commands, settings, error codes, generated pages."""
import os
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


# The hand-written pages, each in English and in Chinese (docs/zh/, README.zh-CN.md); the
# generated pages (indicators.md, errors.md) are bilingual themselves.
PAIRS = [(ROOT / "README.md", ROOT / "README.zh-CN.md")] + [
    (ROOT / "docs" / f"{n}.md", ROOT / "docs" / "zh" / f"{n}.md")
    for n in ("cli", "collect", "entities", "interchange", "library", "methodology", "report", "workspace")]

_NAMED = re.compile(r"--[a-z][a-z0-9-]+|ESG-[A-Z]+-\d{3}")


def _commands_named(text: str, cli) -> set[str]:
    return {full for full, _cmd in _commands(cli) if f"`{full}" in text}


def test_every_page_has_a_chinese_one_that_names_the_same_commands_options_and_codes():
    cli = typer.main.get_command(app)
    for en_path, zh_path in PAIRS:
        en, zh = en_path.read_text(encoding="utf-8"), zh_path.read_text(encoding="utf-8")
        where = zh_path.relative_to(ROOT)
        assert _commands_named(en, cli) <= _commands_named(zh, cli), where
        assert set(_NAMED.findall(en)) - set(_NAMED.findall(zh)) == set(), where
        # it is Chinese, and each page links to the other
        assert len(re.findall(r"[\u4e00-\u9fff]", zh)) > len(zh) / 10, where
        assert f"]({os.path.relpath(en_path, zh_path.parent)})" in zh, where
        assert f"]({os.path.relpath(zh_path, en_path.parent)})" in en, where


def test_the_chinese_command_reference_names_every_command_and_option_too():
    doc = (ROOT / "docs" / "zh" / "cli.md").read_text(encoding="utf-8")
    cli = typer.main.get_command(app)
    missing = [full for full, _cmd in _commands(cli) if f"`{full}" not in doc]
    missing += [f"{full} {opt}" for full, cmd in _commands(cli) for p in cmd.params for opt in p.opts
                if opt.startswith("--") and opt not in doc]
    assert missing == []


def test_every_relative_link_of_the_docs_leads_to_a_file():
    broken = []
    for page in [ROOT / "README.md", ROOT / "README.zh-CN.md", *(ROOT / "docs").rglob("*.md")]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert broken == []
