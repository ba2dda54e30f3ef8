"""The one version: pyproject.toml declares it, the installed metadata carries it here.

The parser's version is the package's: a store reparses every page that an older release
parsed (`govreports reparse`), so a release that changes what a page yields needs no second
number to remember to bump. Installing the OCR extra counts as a new parser too.
"""

from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec

try:
    __version__ = version("govreports")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

# With the OCR extra the parser reads scans that it cannot read without: another parser, so a
# store parsed without the extra is reparsed once it is installed (PEP 440 local label).
PARSER_VERSION = __version__ + ("+ocr" if find_spec("rapidocr_onnxruntime") is not None else "")
