"""A test client that also notes the CPU time each GET took in this process (time.process_time).
On a busy machine the wall-clock time of a request includes the time it waited for a core;
its CPU time does not, so it is the steadier figure for comparing two runs made minutes apart.
Used by bench/community.py and, from Spirit's virtualenv, by bench/spirit/driver.py."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.test import Client


class CpuClient(Client):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cpu_ms: list[float] = []

    def get(self, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return super().get(*args, **kwargs)
        finally:
            self.cpu_ms.append((time.process_time() - started) * 1000)

    def median_of_timed(self, runs: int) -> float:
        """Median CPU ms of the `runs` timed requests harness.measure_page just made (it ends
        with one more request, which counts queries and is left out)."""
        timed = self.cpu_ms[-(runs + 1) : -1]
        return statistics.median(timed) if timed else float("nan")
