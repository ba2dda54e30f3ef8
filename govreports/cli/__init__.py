"""The command line on top of the three parts: argument parsing, calls and exit codes."""

from govreports.cli.main import main

__all__ = ["main"]
