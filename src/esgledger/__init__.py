"""esgledger: the energy–carbon–ESG ledger of an industrial group.

>>> import esgledger
>>> ws = esgledger.open_workspace("path/to/workspace")  # doctest: +SKIP
"""

__version__ = "0.1.0"


def open_workspace(path, **kwargs):
    """Open the workspace at ``path`` (runs pending schema migrations)."""
    from esgledger.workspace import open_workspace as _open

    return _open(path, **kwargs)


def init_workspace(path, **kwargs):
    """Create a workspace at ``path``: config file, database, evidence folder."""
    from esgledger.workspace import init_workspace as _init

    return _init(path, **kwargs)
