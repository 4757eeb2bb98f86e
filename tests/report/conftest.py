"""Fixtures of the report tests: the sample documents rendered once per session.

Renderers that draw Chinese text need the Noto CJK fonts (Debian ``fonts-noto-cjk``) and the
checks read PDFs with ``pdftotext``/``pdftoppm`` (``poppler-utils``); ``scripts/install.sh``
installs both. Where they are missing the tests skip with a message, except under CI
(``CI=true``), where a missing tool fails the run.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from esgledger.report import charts
from esgledger.report.render import render
from tests.report.samples import sample_document


def require(ok: bool, what: str) -> None:
    """Skip (or under CI=true, fail) when a system tool or font is missing."""
    if ok:
        return
    message = f"{what}; run scripts/install.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: missing tools fail the run)")
    pytest.skip(message)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} not found (Debian package {package})")
    return path


def require_cjk_font() -> None:
    require(charts.cjk_family() is not None, "no CJK font (Debian package fonts-noto-cjk)")


@pytest.fixture(scope="session")
def docs():
    return {lang: sample_document(lang) for lang in ("zh", "en")}


@pytest.fixture(scope="session")
def rendered(docs):
    """``rendered(lang, fmt)``: the sample document in that format, rendered once."""
    cache: dict = {}

    def get(lang: str, fmt: str):
        if fmt in ("html", "pdf", "docx"):
            require_cjk_font()
        if (lang, fmt) not in cache:
            cache[lang, fmt] = render(docs[lang], fmt)
        return cache[lang, fmt]

    return get


@pytest.fixture(scope="session")
def pdf_pages(rendered, tmp_path_factory):
    """``pdf_pages(lang)``: the text of each page of the sample PDF (pdftotext)."""
    cache: dict = {}

    def get(lang: str) -> list[str]:
        if lang not in cache:
            pdftotext = require_tool("pdftotext", "poppler-utils")
            path = tmp_path_factory.mktemp("pdf") / f"sample_{lang}.pdf"
            path.write_bytes(rendered(lang, "pdf"))
            text = subprocess.run([pdftotext, "-layout", "-enc", "UTF-8", str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout
            cache[lang] = text.split("\f")[:-1]
        return cache[lang]

    return get
