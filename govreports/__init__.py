"""govreports: China's government information-disclosure annual reports as a checked dataset.

For notebooks and scripts::

    import govreports
    report = govreports.parse("report.html")          # bytes, a path or an http(s) URL
    report.to_json()                                   # what `govreports parse --json` prints
    tables = govreports.read_dataset("dataset/")       # an export as typed DataFrames
"""

from govreports.api import SourceError, parse
from govreports.output.load import DatasetError, read_dataset
from govreports.parsers.model import Cell, Check, Meta, Report
from govreports.version import PARSER_VERSION, __version__

__all__ = [
    "parse",
    "read_dataset",
    "Report",
    "Cell",
    "Check",
    "Meta",
    "SourceError",
    "DatasetError",
    "__version__",
    "PARSER_VERSION",
]
