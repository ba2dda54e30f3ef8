"""govreports: China's government information-disclosure annual reports as a checked dataset."""

__version__ = "0.1.0"
