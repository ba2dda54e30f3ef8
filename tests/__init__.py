"""The test suite (a package, so tests share helpers as tests.conftest under plain pytest too)."""
