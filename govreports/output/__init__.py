"""Renderers and writers, one per format, all fed the same Report records."""
