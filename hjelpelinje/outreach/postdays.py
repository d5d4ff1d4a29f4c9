"""Post days: website visits on the days a post went out, against other open days.

Pure: given visits per day, the open days and the days each platform posted, it compares
the mean visits on one platform's post days with the mean on open days without any post.
`selectors.post_day_ratios` wires it to the counters and the hours app, and
`docs/statistics.md` ("Post days") describes the method and its limits.

The uncertainty is a 95 % interval for the ratio of two means by the log-ratio normal
approximation (the delta method): the standard error of log(mean) is s / (sqrt(n) * mean)
for each group, the two add in quadrature, and the interval is the ratio times
exp(±1.96 · se). It is deterministic, costs nothing, and never goes below zero; with few
days it is too narrow, which is why a ratio needs at least `MIN_POST_DAYS` post days and
`MIN_OTHER_DAYS` other days before it is given.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

MIN_POST_DAYS = 3
MIN_OTHER_DAYS = 10
Z95 = 1.959964

# Why a ratio was not given: stable codes, worded in `texts`/`reporting.report.sentences`.
TOO_FEW_POST_DAYS = "too_few_post_days"
TOO_FEW_OTHER_DAYS = "too_few_other_days"
NO_VISITS = "no_visits"


@dataclass(frozen=True)
class PostDayRatio:
    """One platform's post days against the open days without a post."""

    platform: str
    post_days: int
    other_days: int
    mean_post: float | None
    mean_other: float | None
    ratio: float | None = None
    low: float | None = None
    high: float | None = None
    # Set when the ratio is not given: one of the codes above.
    reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "post_days": self.post_days,
            "other_days": self.other_days,
            "mean_post": _r(self.mean_post, 1),
            "mean_other": _r(self.mean_other, 1),
            "ratio": _r(self.ratio, 2),
            "ci_low": _r(self.low, 2),
            "ci_high": _r(self.high, 2),
            "reason": self.reason,
        }


def _r(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _mean_sd(values: list[int]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def post_day_ratio(
    *,
    platform: str,
    visits: Mapping[dt.date, int],
    open_days: Collection[dt.date],
    platform_days: Collection[dt.date],
    any_post_days: Collection[dt.date],
) -> PostDayRatio:
    """Compare `platform_days` with the open days in `visits` that had no post at all.

    Only days present in `visits` (the measured period) and in `open_days` count; a day
    the helpline was closed (a weekend, a public holiday, a closed exception) is in
    neither group, because visits then follow other rhythms.
    """
    measured = [d for d in visits if d in open_days]
    post = [visits[d] for d in measured if d in platform_days]
    other = [visits[d] for d in measured if d not in any_post_days]
    mean_post = _mean_sd(post)[0] if post else None
    mean_other = _mean_sd(other)[0] if other else None
    base = PostDayRatio(
        platform=platform,
        post_days=len(post),
        other_days=len(other),
        mean_post=mean_post,
        mean_other=mean_other,
    )
    if len(post) < MIN_POST_DAYS:
        return replace(base, reason=TOO_FEW_POST_DAYS)
    if len(other) < MIN_OTHER_DAYS:
        return replace(base, reason=TOO_FEW_OTHER_DAYS)
    m1, s1 = _mean_sd(post)
    m0, s0 = _mean_sd(other)
    if m1 <= 0 or m0 <= 0:
        return replace(base, reason=NO_VISITS)
    ratio = m1 / m0
    se = math.sqrt((s1 / m1) ** 2 / len(post) + (s0 / m0) ** 2 / len(other))
    return replace(
        base,
        ratio=ratio,
        low=ratio * math.exp(-Z95 * se),
        high=ratio * math.exp(Z95 * se),
    )
