"""Language choice for messages a person reads (zh-CN or English)."""
from __future__ import annotations

import os

LANGS = ("zh", "en")


def default_lang() -> str:
    """The user's language from the locale: ``zh`` for a Chinese locale, else ``en``.

    ``ESGLEDGER_LANG`` overrides the locale.
    """
    forced = os.environ.get("ESGLEDGER_LANG")
    if forced in LANGS:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var)
        if val:
            return "zh" if val.lower().startswith("zh") else "en"
    return "en"


def pick(texts: dict[str, str], lang: str) -> str:
    """Text in ``lang``, falling back to the other language."""
    return texts.get(lang) or texts.get("zh") or texts.get("en") or ""
