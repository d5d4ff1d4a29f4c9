"""The `inquiries` block of the statistics (first-time inquiries)."""

from __future__ import annotations

from typing import Any


def inquiries_block(year: int) -> dict[str, Any]:
    raise NotImplementedError("the inquiries block is being written")
