"""The year's statistics: computed once, here, by SQL aggregation.

`year_statistics(year)` is the one result that `hjelpelinje stats`, the dashboard and every
format of the annual report read, so they can never disagree. Each block lives in
`reporting/blocks/` and is documented in `docs/statistics.md`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hjelpelinje.reporting.blocks.chat import chat_block
from hjelpelinje.reporting.blocks.followup import followup_block
from hjelpelinje.reporting.blocks.inquiries import inquiries_block
from hjelpelinje.reporting.blocks.outreach import outreach_block

Block = Callable[[int], dict[str, Any]]

# Blocks beside `inquiries`, in the order they appear in the JSON.
EXTRA_BLOCKS: list[tuple[str, Block]] = [
    ("follow_up", followup_block),
    ("chat", chat_block),
    ("outreach", outreach_block),
]


def year_statistics(year: int) -> dict[str, Any]:
    result: dict[str, Any] = {"year": year, "inquiries": inquiries_block(year)}
    result["previous_year"] = {"year": year - 1, "inquiries": inquiries_block(year - 1)}
    for name, block in EXTRA_BLOCKS:
        result[name] = block(year)
    return result
