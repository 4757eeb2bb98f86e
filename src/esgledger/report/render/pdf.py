"""PDF renderer: WeasyPrint from the HTML renderer's page.

A4 pages, a cover page, a table of contents with page numbers, a page break before each
chapter and the page number in the footer all come from the stylesheet's print rules
(``templates/report.css``). Chinese text needs the Noto CJK fonts of the Debian package
``fonts-noto-cjk`` (``scripts/install.sh``); :func:`render_pdf` refuses to produce a PDF of
empty boxes when fontconfig knows no CJK font.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache

from esgledger.model.errors import EsgledgerError
from esgledger.report.document import Document
from esgledger.report.render.html import render_html

_CJK = re.compile(r"[\u3400-\u9fff]")


class PdfFontError(EsgledgerError, RuntimeError):
    """No CJK font is installed for WeasyPrint (fontconfig)."""


@lru_cache(maxsize=1)
def fontconfig_has_cjk() -> bool:
    """True when fontconfig knows a font for Chinese (``fc-list :lang=zh``)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                         check=False).stdout
    return bool(out.strip())


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes (WeasyPrint)."""
    html = render_html(doc)
    if _CJK.search(html) and not fontconfig_has_cjk():
        raise PdfFontError("no CJK font for the PDF: install the Debian package fonts-noto-cjk "
                           "(scripts/install.sh does)")
    from weasyprint import HTML  # imported here: loading it costs about a second

    return HTML(string=html, base_url=".").write_pdf()
