"""Latency figures as the benchmarks print them: nearest-rank percentiles of samples."""

from __future__ import annotations

from collections.abc import Sequence


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile ``q`` (0-100) of ``values``: a value that actually occurred."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def describe(name: str, seconds: Sequence[float]) -> str:
    """``name: n=.. p50=.. ms p99=.. ms max=.. ms`` for samples given in seconds."""
    if not seconds:
        return f"{name}: no samples"
    ms = [1000 * s for s in seconds]
    return f"{name}: n={len(ms)} p50={pct(ms, 50):.0f} ms p99={pct(ms, 99):.0f} ms max={max(ms):.0f} ms"
