"""The installed zi-media's version, read from the package metadata (pyproject.toml's), so
it is written in one place only."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zi-media")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
