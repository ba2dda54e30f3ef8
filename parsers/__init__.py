"""Pure parsers: a report page's bytes in, a checked Report out. No network, no store."""

from .model import Cell, Check, Meta, Report, Source
from .report import MAX_BYTES, PARSER_VERSION, parse

__all__ = ["Cell", "Check", "Meta", "Report", "Source", "MAX_BYTES", "PARSER_VERSION", "parse"]
