"""Renderers are plugins picked by output format (datasette's output renderers).

Each :class:`Renderer` turns a :class:`~esgledger.report.document.Document` into ``str``
(text formats) or ``bytes``. The built-in ones are registered below; another package can
add one with :func:`register` (for instance ``register(Renderer("json", ".json",
"application/json", my_func))``) without editing ours.

>>> sorted(RENDERERS)
['docx', 'html', 'md', 'pdf', 'xlsx']
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from esgledger.model.errors import EsgledgerError
from esgledger.report.document import Document


class UnknownFormatError(EsgledgerError, ValueError):
    """No renderer is registered for the asked format."""


@dataclass(frozen=True)
class Renderer:
    """``func`` is a callable or a ``"module:function"`` path imported on first use."""

    format: str
    suffix: str
    media_type: str
    func: Callable[[Document], str | bytes] | str

    def __call__(self, doc: Document) -> str | bytes:
        func = self.func
        if isinstance(func, str):
            module, _, name = func.partition(":")
            func = getattr(importlib.import_module(module), name)
        return func(doc)

    @property
    def binary(self) -> bool:
        return self.format not in ("html", "md")


RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> Renderer:
    RENDERERS[renderer.format] = renderer
    return renderer


for _r in (
    Renderer("html", ".html", "text/html", "esgledger.report.render.html:render_html"),
    Renderer("pdf", ".pdf", "application/pdf", "esgledger.report.render.pdf:render_pdf"),
    Renderer("docx", ".docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "esgledger.report.render.docx:render_docx"),
    Renderer("xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "esgledger.report.render.xlsx:render_xlsx"),
    Renderer("md", ".md", "text/markdown", "esgledger.report.render.markdown:render_markdown"),
):
    register(_r)


def renderer_for(fmt: str) -> Renderer:
    try:
        return RENDERERS[fmt.lower().lstrip(".")]
    except KeyError:
        raise UnknownFormatError(f"no renderer for format {fmt!r}; known: "
                                 f"{', '.join(sorted(RENDERERS))}") from None


def render(doc: Document, fmt: str) -> str | bytes:
    """``doc`` rendered in ``fmt`` (html, pdf, docx, xlsx, md)."""
    return renderer_for(fmt)(doc)


def write(doc: Document, path: str | Path, fmt: str | None = None) -> Path:
    """Render ``doc`` to ``path``; the format defaults to the file's suffix."""
    path = Path(path)
    renderer = renderer_for(fmt or path.suffix)
    out = renderer(doc)
    if isinstance(out, str):
        path.write_text(out, encoding="utf-8")
    else:
        path.write_bytes(out)
    return path
