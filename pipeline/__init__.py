"""letopis: information extraction for Russian historical prose."""

__version__ = "0.1.0"
