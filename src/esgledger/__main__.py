"""``python -m esgledger``: the same command line as the ``esgledger`` script."""
from esgledger.cli import main

main()
