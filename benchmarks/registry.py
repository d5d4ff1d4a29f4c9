"""The list of named benchmarks and what each one reports."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Benchmark:
    name: str
    description: str
    run: Callable[[float], None]


BENCHMARKS: list[Benchmark] = []


def benchmark(
    name: str, description: str
) -> Callable[[Callable[[float], None]], Callable[[float], None]]:
    """Register `def run(scale: float) -> None` (scale 1.0 is the documented size)."""

    def register(func: Callable[[float], None]) -> Callable[[float], None]:
        BENCHMARKS.append(Benchmark(name, description, func))
        return func

    return register


def report(label: str, value: Any, unit: str = "") -> None:
    print(f"  {label:<46} {value}{(' ' + unit) if unit else ''}", flush=True)


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Run `func` `repeat` times: (median seconds, fastest seconds, last result)."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result
