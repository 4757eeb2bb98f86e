"""The indicator library: indicator, topic, dimension, rule, layout and framework data files,
and their typed loader. Knows nothing but model."""
from esgledger.library.loader import Library, LibraryError, load_library

__all__ = ["Library", "LibraryError", "load_library"]
