"""UAT 2, L12, L14 and L9: a factor value given twice is named as such, a role is refused before
the password is asked, and `indicators list/show` see the workspace's own library."""
from __future__ import annotations

from typer.testing import CliRunner

from esgledger.cli import app

runner = CliRunner()

FACTORS = """set: tianlu_measured
version: "2024.1"
title: {zh: 天铝有限实测参数, en: Tianlu measured parameters}
defaults: {confidence: V, edition: "2024 laboratory reports", source: "lab"}
factors:
  - {key: al.anode.nac, value: "0.395", unit: tC/t, valid_from: 2024, valid_to: 2024}
  - {key: al.anode.nac, value: "0.395", unit: tC/t, valid_from: 2024, valid_to: 2024}
  - {key: al.anode.nac, value: "0.41", unit: tC/t, valid_from: 2023, valid_to: 2025}
"""


def _problems(r, lang):
    exc = r.exception
    return [p.render(lang) for p in getattr(exc, "problems", ())]


def test_the_same_factor_value_twice_is_defined_twice_and_an_overlap_stays_one(wsdir):
    (wsdir / "factors").mkdir(exist_ok=True)
    (wsdir / "factors" / "f.yaml").write_text(FACTORS, "utf-8")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "factors", "list"])
    shown = _problems(r, "en")
    f = str(wsdir / "factors" / "f.yaml")
    # line 7 repeats line 6 (2024 both); line 8 (2023–2025) overlaps line 6's 2024
    assert shown == [
        f"{f}:7 (al.anode.nac): ESG-FACTOR-007 defined twice: al.anode.nac 2024 is defined twice (first at {f}:6)",
        f"{f}:8 (al.anode.nac): ESG-FACTOR-003 overlapping validity: al.anode.nac 2023–2025 overlaps the value at {f}:6",
    ], shown
    assert "al.anode.nac 2024 重复定义（首次出现在" in _problems(r, "zh")[0]


def test_a_value_without_validity_given_twice_says_every_year(wsdir):
    (wsdir / "factors").mkdir(exist_ok=True)
    (wsdir / "factors" / "f.yaml").write_text(FACTORS.split("  - ")[0] + "".join(
        '  - {key: al.anode.nac, value: "0.395", unit: tC/t}\n' for _ in range(2)), "utf-8")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "factors", "list"])
    [en] = _problems(r, "en")
    assert "ESG-FACTOR-007 defined twice: al.anode.nac (every year) is defined twice" in en
    assert "al.anode.nac 所有年份 重复定义" in _problems(r, "zh")[0]


def test_a_role_it_does_not_have_is_refused_before_the_password_is_asked(wsdir, monkeypatch):
    import esgledger.cli

    monkeypatch.setattr(esgledger.cli, "stdin_is_terminal", lambda: False)
    for lang, said in (("en", "ESG-ACCESS-006 invalid user or grant: boss: expected admin, manager, submitter or auditor"),
                       ("zh", "ESG-ACCESS-006 用户或授权无效：boss：应为 admin（管理员）、manager（主管）、submitter（填报人）"
                              "或 auditor（审计）")):
        r = runner.invoke(app, ["--lang", lang, "-w", str(wsdir), "users", "add", "bob", "--role", "boss"])
        assert r.exit_code == 1 and said in r.output, r.output
        assert "--password-stdin" not in r.output  # not asked for (nor told how to give) a password
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "users", "add", "bob", "--role", "submitter",
                            "--entity", "TLYXX"])
    assert r.exit_code == 1 and "ESG-ACCESS-006 invalid user or grant: TLYXX: expected an entity of the tree" in r.output


MY = """indicators:
  - code: my_ok
    name: {zh: 自定义指标, en: My indicator}
    definition: {zh: 甲, en: A}
    dimension: E
    topic: energy
    unit: 吨
"""


def test_indicators_list_and_show_see_the_workspaces_own_library(wsdir, tmp_path):
    (wsdir / "library").mkdir()
    (wsdir / "library" / "my.yaml").write_text(MY, "utf-8")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "indicators", "show", "my_ok", "--json"])
    assert r.exit_code == 0 and '"code": "my_ok"' in r.output, r.output
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "indicators", "list", "--format", "csv"])
    assert r.exit_code == 0 and "\nmy_ok,自定义指标,My indicator,E,energy,吨," in r.output
    # outside a workspace: the shipped library only
    r = runner.invoke(app, ["--lang", "en", "-w", str(tmp_path), "indicators", "show", "my_ok"])
    assert r.exit_code == 1
    # an error in the workspace's library shows here too, as on an import
    (wsdir / "library" / "my.yaml").write_text(MY.replace("topic: energy", "topic: enrgy"), "utf-8")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "indicators", "list"])
    assert "ESG-LIB-002" in "\n".join(_problems(r, "en")) + r.output


def test_a_factor_value_typed_with_full_width_characters(wsdir):
    """L1: "０．３９５" in a factor file is 0.395, as １３．５ in an import is 13.5."""
    (wsdir / "factors").mkdir(exist_ok=True)
    (wsdir / "factors" / "f.yaml").write_text(FACTORS.split("  - ")[0] + (
        '  - {key: al.anode.nac, value: "０．３９５", unit: tC/t, valid_from: 2024, valid_to: 2024}\n'), "utf-8")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "factors", "show", "al.anode.nac"])
    assert r.exit_code == 0, r.output
    assert any("tianlu_measured@2024.1" in ln and " 0.395 " in ln for ln in r.output.splitlines()), r.output
