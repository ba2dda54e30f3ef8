"""Sizes for messages: one formatting, so a cap reads the same in every error."""


def megabytes(n: int) -> str:
    """Binary megabytes, as caps are set (20 MB = 20 × 2**20 bytes): '20 MB', '52.4 MB'."""
    text = f"{n / 2**20:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + " MB"
