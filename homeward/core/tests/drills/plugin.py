"""A pytest plugin (loaded with `-p` in pyproject.toml) that adds up what the drills did (requests
fuzzed, payloads rendered, faults survived, rows restored) across xdist workers and prints it at
the end of the run, so RELIABILITY.md's figures come from a real run."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

TALLY: Counter[str] = Counter()


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the figures to the controller
        workeroutput["drill_tally"] = dict(TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    TALLY.update(getattr(node, "workeroutput", {}).get("drill_tally", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY:
        terminalreporter.section("reliability drills")
        for name, count in sorted(TALLY.items()):
            terminalreporter.write_line(f"{name}: {count:,}")
