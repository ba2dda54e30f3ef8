"""The one version: pyproject.toml declares it, the installed metadata carries it here.

The parser's version is the package's: a store reparses every page that an older release
parsed (`govreports reparse`), so a release that changes what a page yields needs no second
number to remember to bump.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("govreports")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

PARSER_VERSION = __version__
