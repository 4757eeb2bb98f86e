"""The command line's own usage errors (Typer's vendored Click) in the reader's language: an
option or command that does not exist, an argument or a value missing, a value its type
refuses, and the usage line and hint printed with them."""
import re

import pytest
from typer.testing import CliRunner

from esgledger.cli import app
from esgledger.cli_usage import zh_message

runner = CliRunner()


def run(*args, lang="zh"):
    r = runner.invoke(app, ["--lang", lang, *args], prog_name="esgledger")
    return r, re.sub(r"\s+", " ", r.output.replace("│", " "))


# (command line, the Chinese message); each written by hand from Click's English one
CASES = [
    (["calc", "run", "--bogus"], "没有选项 --bogus"),
    (["collect", "log", "--lim", "3"], "没有选项 --lim（可用的选项：--limit）"),
    (["calc", "rn"], "没有命令 'rn'，是否想用 'run'？"),
    (["calc", "run"], "缺少选项 '--period'。"),
    (["explain"], "缺少参数 'indicator'。"),
    (["collect", "log", "--limit"], "选项 '--limit' 需要一个取值。"),
    (["facts", "import", "a.csv", "b.csv"], "多余的参数：b.csv"),
    (["collect", "log", "--limit", "abc"], "'--limit' 的取值无效：应为整数，实为 abc"),
]


@pytest.mark.parametrize("args,expected", CASES, ids=[" ".join(a) for a, _ in CASES])
def test_usage_errors_in_chinese(args, expected, tmp_path):
    r, out = run("-w", str(tmp_path), *args)
    assert r.exit_code == 2
    assert expected in out, out
    # the usage line and the hint around the message are Chinese too
    for english in ("Usage:", "Try '", "for help", "No such", "Missing", "Invalid value", "requires",
                    "unexpected", "Error"):
        assert english not in out, (english, out)
    if "需要一个取值" not in expected:  # Click prints no usage line for an option's missing value
        assert "用法：esgledger " in out and "查看帮助。" in out


def test_usage_errors_stay_english_in_english(tmp_path):
    r, out = run("-w", str(tmp_path), "calc", "run", "--bogus", lang="en")
    assert r.exit_code == 2
    assert "Usage: esgledger calc run [OPTIONS]" in out and "No such option: --bogus" in out
    assert "Try 'esgledger calc run --help' for help." in out
    r, out = run("-w", str(tmp_path), "collect", "log", "--limit", "abc", lang="en")
    assert "Invalid value for '--limit':" in out


def test_an_invalid_lang_is_named_in_the_language_the_command_line_falls_back_to(tmp_path, monkeypatch):
    monkeypatch.setenv("ESGLEDGER_LANG", "zh")
    r = runner.invoke(app, ["--lang", "fr", "-w", str(tmp_path), "calc", "run", "--period", "2024"])
    out = re.sub(r"\s+", " ", r.output.replace("│", " "))
    assert r.exit_code == 2 and "--lang 的取值无效：应为 zh 或 en" in out, out


def test_help_usage_line_in_chinese():
    r, out = run("calc", "run", "--help")
    assert r.exit_code == 0 and "用法：esgledger calc run [OPTIONS]" in out and "Usage" not in out
    r, out = run("calc", "run", "--help", lang="en")
    assert "Usage: esgledger calc run [OPTIONS]" in out


@pytest.mark.parametrize("text,expected", [
    # the texts Click and Typer build, as their source writes them (typer/_click/exceptions.py,
    # parser.py, core.py; typer/_param_types.py, _coercion.py)
    ("No such command 'x'.", "没有命令 'x'"),
    ("Missing command.", "缺少命令。"),
    ("Missing parameter: path", "缺少参数 path。"),
    ("Option '--pair' requires 2 arguments.", "选项 '--pair' 需要 2 个取值。"),
    ("Option '--help' does not take a value.", "选项 '--help' 不接受取值。"),
    ("Got unexpected extra arguments (a b)", "多余的参数：a b"),
    ("Argument 'pair' takes 2 values.", "参数 'pair' 需要 2 个值。"),
    ("Invalid value for '--file': File 'x.csv' does not exist.", "'--file' 的取值无效：文件 'x.csv' 不存在"),
    ("Invalid value for '--out': Directory 'o' is a file.", "'--out' 的取值无效：目录 'o' 是文件，应为目录"),
    ("Invalid value for 'path': Path 'p' is a directory.", "'path' 的取值无效：路径 'p' 是目录，应为文件"),
    ("Invalid value for 'path': File 'p' is not readable.", "'path' 的取值无效：文件 'p' 不可读（没有读取权限）"),
    ("Invalid value for '--kind': 'z' is not one of 'a', 'b'.",
     "'--kind' 的取值无效：'z' 不是可选值，应为 'a', 'b' 之一"),
    ("Invalid value: Value 'x' is not a valid float.", "取值无效：应为数字，实为 'x'"),
    ("Something Click does not say today", None),
])
def test_each_click_text_has_its_chinese(text, expected):
    assert zh_message(text) == expected
