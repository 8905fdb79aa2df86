"""reviewer: offline verification of leaked documents."""

__version__ = "0.1.0"
