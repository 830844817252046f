"""cbectool: how ready a Pakistani SME is to export through cross-border e-commerce, and what to do next."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cbectool")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
