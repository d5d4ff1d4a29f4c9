"""Campaign effect: inquiries per open day during a campaign against the open days before it.

This module is pure: it is given a calendar ("does this day count?"), the days other
campaigns occupy, and counts per day, and it knows nothing of the database or of opening
hours. `selectors.campaign_effects` wires it to the register and the `hours` app.
`docs/statistics.md` ("Campaign effect") describes the method and its limits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DAY = dt.timedelta(days=1)

DayTest = Callable[[dt.date], bool]


def round2(value: float | None) -> float | None:
    """Two decimals, halves rounded up as people do (0.125 -> 0.13, not 0.12)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Windows:
    """The days compared: the campaign's open days and as many open days before it."""

    campaign_days: tuple[dt.date, ...]
    baseline_days: tuple[dt.date, ...]
    # Open days before the start that were passed over because another campaign ran.
    skipped_days: tuple[dt.date, ...]

    @property
    def baseline_complete(self) -> bool:
        return len(self.baseline_days) >= len(self.campaign_days)


def effect_windows(
    *,
    start: dt.date,
    end: dt.date,
    counts: DayTest,
    busy: Collection[dt.date] | DayTest,
    earliest: dt.date,
) -> Windows:
    """Choose the campaign days and the baseline days.

    `counts(day)` says whether a day is comparable at all: the helpline was open and the
    campaign's own rules (no weekends, no holidays) would have let it run. The campaign
    window is every such day from `start` to `end`. The baseline walks back from the day
    before `start`, taking such days until it has as many as the campaign, skipping days
    in `busy` (another campaign ran) and stopping at `earliest` (no data before it), so it
    may come out shorter than the campaign.
    """
    in_busy: DayTest = busy if callable(busy) else busy.__contains__
    campaign: list[dt.date] = []
    day = start
    while day <= end:
        if counts(day):
            campaign.append(day)
        day += ONE_DAY

    baseline: list[dt.date] = []
    skipped: list[dt.date] = []
    day = start - ONE_DAY
    while len(baseline) < len(campaign) and day >= earliest:
        if counts(day):
            if in_busy(day):
                skipped.append(day)
            else:
                baseline.append(day)
        day -= ONE_DAY
    baseline.reverse()
    skipped.reverse()
    return Windows(tuple(campaign), tuple(baseline), tuple(skipped))


@dataclass(frozen=True)
class Measure:
    """One quantity (inquiries, chat sessions) counted over both windows."""

    campaign_days: int
    baseline_days: int
    baseline_complete: bool
    skipped_baseline_days: int
    campaign_count: int
    baseline_count: int
    baseline_start: dt.date | None
    baseline_end: dt.date | None

    @property
    def campaign_per_day(self) -> float | None:
        return self.campaign_count / self.campaign_days if self.campaign_days else None

    @property
    def baseline_per_day(self) -> float | None:
        return self.baseline_count / self.baseline_days if self.baseline_days else None

    @property
    def ratio(self) -> float | None:
        """Campaign rate over baseline rate; None when the baseline is empty or zero."""
        during, before = self.campaign_per_day, self.baseline_per_day
        if during is None or not before:
            return None
        return during / before

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by `hjelpelinje stats` (rates rounded to two decimals)."""
        return {
            "campaign_days": self.campaign_days,
            "baseline_days": self.baseline_days,
            "baseline_complete": self.baseline_complete,
            "baseline_start": self.baseline_start.isoformat() if self.baseline_start else None,
            "baseline_end": self.baseline_end.isoformat() if self.baseline_end else None,
            "skipped_baseline_days": self.skipped_baseline_days,
            "campaign_count": self.campaign_count,
            "baseline_count": self.baseline_count,
            "campaign_per_day": round2(self.campaign_per_day),
            "baseline_per_day": round2(self.baseline_per_day),
            "ratio": round2(self.ratio),
        }


def measure(windows: Windows, per_day: Mapping[dt.date, int]) -> Measure:
    """Count `per_day` over the two windows; days outside them do not count."""
    return Measure(
        campaign_days=len(windows.campaign_days),
        baseline_days=len(windows.baseline_days),
        baseline_complete=windows.baseline_complete,
        skipped_baseline_days=len(windows.skipped_days),
        campaign_count=sum(per_day.get(d, 0) for d in windows.campaign_days),
        baseline_count=sum(per_day.get(d, 0) for d in windows.baseline_days),
        baseline_start=windows.baseline_days[0] if windows.baseline_days else None,
        baseline_end=windows.baseline_days[-1] if windows.baseline_days else None,
    )
