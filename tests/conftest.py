"""Shared test helpers.

The Department for Education reference tables and the SEN2 mock-up live outside the repo,
in ``../shared/reference`` beside the checkout. Tests that read them skip with a reason when
the folder is missing (a fresh clone on its own), but fail under CI (``CI=true``), where the
folder is always laid beside the checkout: a missing reference must never pass unseen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


def reference_file(*parts: str) -> Path:
    """The path of a reference file; skip (or fail under CI) when it is not there."""
    path = REFERENCE.joinpath(*parts)
    if not path.is_file():
        message = f"reference file not found: {path} (../shared/reference beside the repo)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
