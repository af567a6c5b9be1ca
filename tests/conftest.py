"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty working directory for an agent (its cwd)."""
    path = tmp_path / "workspace"
    path.mkdir()
    return path
