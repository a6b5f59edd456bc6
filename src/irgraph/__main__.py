"""``python -m irgraph``: the same as the ``irgraph`` command."""

from .cli import main

main(prog_name="irgraph")
