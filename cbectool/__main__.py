"""``python -m cbectool``."""

from cbectool.cli import main

main()
