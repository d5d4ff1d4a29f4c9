from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hjelpelinje.site.visits import counting


@pytest.fixture(autouse=True)
def _counters_flushed_by_hand(settings: Any) -> Iterator[None]:
    """No flush thread in these tests: a test stores its counts when it says so, and
    starts from none."""
    settings.HJELPELINJE_VISITS_FLUSH_SECONDS = 0
    counting.COUNTERS.reset()
    yield
    counting.COUNTERS.reset()
