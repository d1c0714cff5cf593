"""``python -m ehcp_check``."""

from .cli import main

main()
