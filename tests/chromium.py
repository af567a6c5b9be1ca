"""The Chromium that browser tests and benchmarks launch: Debian's binary, and the flags they all use.

``$CHROMIUM`` points at another binary. The flags keep a headless Chromium in a container from
needing a sandbox or a GPU and from reaching the network on its own (updates, sync, QUIC probes).
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
