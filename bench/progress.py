"""A progress bar on stderr for the data generators (no dependency, no Django: the Spirit driver
imports it from its own virtualenv). On a terminal it redraws one line; in a log (nohup, CI) it
writes a line every 10% so the log stays readable."""

from __future__ import annotations

import sys
import time
from types import TracebackType


class Progress:
    """`with Progress("posts", total) as bar: bar.advance(n)`; prints rate and time left."""

    WIDTH = 30

    def __init__(self, label: str, total: int) -> None:
        self.label = label
        self.total = max(1, total)
        self.done = 0
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self._last_draw = 0.0
        self._last_tenth = -1

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.done = self.total
        self._draw(force=True, end=True)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        self._draw()

    def _draw(self, *, force: bool = False, end: bool = False) -> None:
        now = time.perf_counter()
        fraction = self.done / self.total
        tenth = int(fraction * 10)
        if self.tty:
            if not force and now - self._last_draw < 0.2:
                return
        elif not force and tenth == self._last_tenth:
            return
        self._last_draw = now
        self._last_tenth = tenth
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        tail = f"{elapsed:.1f}s" if end else f"{elapsed:.0f}s, ~{left:.0f}s left"
        line = (
            f"  {self.label:<22} [{bar}] {fraction:4.0%} "
            f"{self.done:>11,}/{self.total:,}  {rate:,.0f}/s  {tail}"
        )
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if end else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def step(message: str) -> None:
    """A one-line note between progress bars."""
    sys.stderr.write(f"  {message}\n")
    sys.stderr.flush()
