"""zi-media: check the media a work unit submits for the Zona Integritas (WBK/WBBM) evaluation."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ZiMediaError  # noqa: E402
from .profiles import load_profile  # noqa: E402
from .validate import check_file  # noqa: E402

__all__ = ["__version__", "check_file", "load_profile", "ZiMediaError"]
