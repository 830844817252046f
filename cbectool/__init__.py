"""cbectool: how ready a Pakistani SME is to export through cross-border e-commerce, and what to do next."""

__version__ = "0.1.0"
