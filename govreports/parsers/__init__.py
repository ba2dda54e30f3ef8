"""Pure parsers: a report page's bytes in, a checked Report out. No network, no store."""

from govreports.parsers.model import Cell, Check, Meta, Report, Source
from govreports.parsers.report import MAX_BYTES, parse
from govreports.version import PARSER_VERSION

__all__ = ["Cell", "Check", "Meta", "Report", "Source", "MAX_BYTES", "PARSER_VERSION", "parse"]
