"""Click's own usage errors in the reader's language.

Typer (its vendored Click) writes the errors of the command line itself in English: an option
or command that does not exist, an argument missing, a value its type refuses (``--limit abc``),
and the usage line and hint around them. A Chinese reader got ``Usage: …`` and
``No such option: --bogus`` in a panel titled 错误. :func:`install` (called by
:func:`esgledger.cli_help.localize` with the language chosen for the command line) makes
every command write its usage line with the language's prefix and Typer's error printer show
the message translated by :func:`message`.

The messages are recognised by their English text (Click builds most of them as f-strings, with
no catalogue to hook), so a Typer release that rewords one shows it in English again;
``tests/test_cli_usage.py`` triggers each of them in Chinese and fails then.
"""
from __future__ import annotations

import re

from typer import rich_utils
from typer._click.core import Context
from typer._click.formatting import HelpFormatter

from esgledger.model.errors import pydantic_problems

_STATE = {"lang": "en"}
USAGE = {"zh": "用法：", "en": "Usage: "}


class LocalizedFormatter(HelpFormatter):
    """Click's help formatter with the usage line's prefix in the command line's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE.get(_STATE["lang"], USAGE["en"]) if prefix is None else prefix)


class LocalizedContext(Context):
    formatter_class = LocalizedFormatter


_KIND = {"option": "选项", "argument": "参数", "parameter": "参数"}
_PATH_KIND = {"File": "文件", "Directory": "目录", "Path": "路径"}
_PYTHON_TYPE = {"int": "整数", "float": "数字", "str": "文本", "bool": "true 或 false", "Path": "路径"}

# our own texts given to typer.BadParameter before the language is known (an invalid --lang)
_OWN = {"expected zh or en": "应为 zh 或 en"}


def _value_zh(text: str, cause: BaseException | None) -> str:
    """What a parameter's type said of a value (the part after "Invalid value for X: ")."""
    if cause is not None and type(cause).__name__ == "ValidationError":
        try:
            problems = pydantic_problems(cause)
        except Exception:  # pragma: no cover - not a pydantic error after all
            problems = []
        if problems:
            _loc, expected, found = problems[0]
            found_zh = found.zh if hasattr(found, "zh") else found
            return f"应为{expected.zh}，实为 {found_zh}"
    if text in _OWN:
        return _OWN[text]
    m = re.fullmatch(r"(File|Directory|Path) '(.*)' (does not exist|is a file|is a directory|is not readable)\.", text)
    if m:
        what = {"does not exist": "不存在", "is a file": "是文件，应为目录", "is a directory": "是目录，应为文件",
                "is not readable": "不可读（没有读取权限）"}[m.group(3)]
        return f"{_PATH_KIND[m.group(1)]} '{m.group(2)}' {what}"
    m = re.fullmatch(r"'(.*)' is not one of (.+)\.", text)
    if m:
        return f"'{m.group(1)}' 不是可选值，应为 {m.group(2)} 之一"
    m = re.fullmatch(r"Value (.+) is not a valid (\w+)\.", text)
    if m:
        return f"应为{_PYTHON_TYPE.get(m.group(2), m.group(2))}，实为 {m.group(1)}"
    return text  # a text of our own, already in the reader's language


def zh_message(text: str, cause: BaseException | None = None) -> str | None:
    """The Chinese of one of Click's usage messages ``text`` (``format_message()``), or None
    for a text this module does not know."""
    m = re.fullmatch(r"No such option: (\S+)(?: \(Possible options: (.+)\))?", text)
    if m:
        return f"没有选项 {m.group(1)}" + (f"（可用的选项：{m.group(2)}）" if m.group(2) else "")
    m = re.fullmatch(r"No such command '(.*)'\.?(?: Did you mean (.+)\?)?", text, re.S)
    if m:
        return f"没有命令 '{m.group(1)}'" + (f"，是否想用 {m.group(2)}？" if m.group(2) else "")
    if text == "Missing command.":
        return "缺少命令。"
    m = re.fullmatch(r"Missing (option|argument|parameter) (.+?)\.(?: (.+))?", text, re.S)
    if m:
        more = f" {m.group(3)}" if m.group(3) else ""
        return f"缺少{_KIND[m.group(1)]} {m.group(2)}。{more}"
    m = re.fullmatch(r"Missing parameter: (.+)", text)
    if m:
        return f"缺少参数 {m.group(1)}。"
    m = re.fullmatch(r"Option '(.+)' requires (?:an argument|(\d+) arguments)\.", text)
    if m:
        return f"选项 '{m.group(1)}' 需要" + (f" {m.group(2)} 个取值。" if m.group(2) else "一个取值。")
    m = re.fullmatch(r"Option '(.+)' does not take a value\.", text)
    if m:
        return f"选项 '{m.group(1)}' 不接受取值。"
    m = re.fullmatch(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", text, re.S)
    if m:
        return f"多余的参数：{m.group(1)}"
    m = re.fullmatch(r"Argument '(.+)' takes (\d+) values\.", text)
    if m:
        return f"参数 '{m.group(1)}' 需要 {m.group(2)} 个值。"
    m = re.fullmatch(r"Invalid value for (.+?): (.*)", text, re.S)
    if m:
        return f"{m.group(1)} 的取值无效：{_value_zh(m.group(2), cause)}"
    m = re.fullmatch(r"Invalid value: (.*)", text, re.S)
    if m:
        return f"取值无效：{_value_zh(m.group(1), cause)}"
    return None


def message(exc, lang: str) -> str:
    """The text Typer's error panel shows for the Click exception ``exc`` in ``lang``."""
    text = exc.format_message()
    if lang != "zh":
        return text
    zh = zh_message(text, exc.__cause__)
    return text if zh is None else zh


_ORIGINAL_FORMAT_ERROR = rich_utils.rich_format_error


def _format_error(exc) -> None:
    """Typer's error printer, given the message in the command line's language."""
    lang = _STATE["lang"]
    if lang == "zh" and exc.__class__.__name__ != "NoArgsIsHelpError":
        exc = _Shown(exc, message(exc, lang))
    _ORIGINAL_FORMAT_ERROR(exc)


class _Shown:
    """What Typer's error printer reads of a Click exception (its context and message), with
    the message given."""

    def __init__(self, exc, text: str):
        self.ctx = getattr(exc, "ctx", None)
        self.text = text

    def format_message(self) -> str:
        return self.text


def install(lang: str) -> None:
    """Usage lines and usage errors in ``lang``: Typer's error printer is ours, and commands
    whose ``context_class`` is :class:`LocalizedContext` (set by
    :func:`esgledger.cli_help.localize` as it walks the commands) write their usage line with the
    language's prefix."""
    _STATE["lang"] = lang
    rich_utils.rich_format_error = _format_error


__all__ = ["LocalizedContext", "LocalizedFormatter", "USAGE", "install", "message", "zh_message"]
