"""Renderers of a report document, picked by format: ``RENDERERS["pdf"](doc)``."""
from esgledger.report.render.registry import (
    RENDERERS,
    Renderer,
    UnknownFormatError,
    register,
    render,
    renderer_for,
    write,
)

__all__ = ["RENDERERS", "Renderer", "UnknownFormatError", "register", "render",
           "renderer_for", "write"]
