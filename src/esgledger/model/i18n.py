"""Language choice for messages a person reads (zh-CN or English)."""
from __future__ import annotations

import os
import string

LANGS = ("zh", "en")


def forced_lang() -> str | None:
    """``ESGLEDGER_LANG`` when it names a language (it overrides a workspace's setting and the
    locale), else None."""
    forced = os.environ.get("ESGLEDGER_LANG")
    return forced if forced in LANGS else None


WORKSPACE_CONFIG = "esgledger.toml"  # a workspace folder's settings file


def configured_lang(config: dict) -> str | None:
    """``workspace.lang`` of a workspace's settings, when it names a language."""
    lang = config.get("workspace", {}).get("lang")
    return lang if lang in LANGS else None


def workspace_lang(folder) -> str | None:
    """The message language a workspace folder's settings give, or None (no workspace there,
    or no such setting). Read before the workspace opens (cheaply: the CLI asks it for every
    command), so that an error opening it is in that language too."""
    import tomllib
    from pathlib import Path

    try:
        return configured_lang(tomllib.loads((Path(folder) / WORKSPACE_CONFIG).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def default_lang() -> str:
    """The user's language from the locale: ``zh`` for a Chinese locale, else ``en``.

    ``ESGLEDGER_LANG`` overrides the locale.
    """
    forced = forced_lang()
    if forced is not None:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var)
        if val:
            return "zh" if val.lower().startswith("zh") else "en"
    return "en"


def pick(texts: dict[str, str], lang: str) -> str:
    """Text in ``lang``, falling back to the other language."""
    return texts.get(lang) or texts.get("zh") or texts.get("en") or ""


class _CountFormatter(string.Formatter):
    """``str.format`` plus a count with its noun: ``{n:fact|facts}`` is ``1 fact`` or
    ``2 facts`` (and ``{n:|s}``-style specs read the same way: singular|plural)."""

    def format_field(self, value, format_spec: str):
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return f"{value} {one if value == 1 else other}"
        return super().format_field(value, format_spec)


_COUNTS = _CountFormatter()


def fmt(template: str, **kw) -> str:
    """``template.format(**kw)`` where ``{n:row|rows}`` gives the count with its noun in the
    singular or the plural (English messages; Chinese needs no plural).

    >>> fmt("checked {n:row|rows}, {e:error|errors}", n=1, e=2)
    'checked 1 row, 2 errors'
    """
    return _COUNTS.format(template, **kw)
