"""When this machine stood still, for tests that bound how long something takes."""

from __future__ import annotations

import threading
import time


class Stillness:
    """When this machine stood still. A thread sleeps 10 ms at a time and notes each wake-up
    that came more than 100 ms late: nothing in this process ran meanwhile. CI once timed one
    request at 1.5 s and a /healthz, which needs no database, at 1.3 s in the same moment of an
    outage, and fifty refusals that take 2 ms at 349 ms; what a fault test bounds is the
    server's part of the time, so `server_seconds` takes such moments out of the time measured.
    Code that waits (for a pool, a connect timeout) keeps this thread running and is timed in
    full."""

    TICK, LATE = 0.01, 0.1

    def __init__(self):
        self.stalls: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            before = time.monotonic()
            time.sleep(self.TICK)
            after = time.monotonic()
            if after - before - self.TICK > self.LATE:
                self.stalls.append((before + self.TICK, after))

    def __enter__(self) -> Stillness:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def server_seconds(self, asked_at: float, elapsed: float) -> float:
        answered_at = asked_at + elapsed
        still = sum(
            max(0.0, min(end, answered_at) - max(start, asked_at)) for start, end in self.stalls
        )
        return elapsed - still

    def summary(self) -> str:
        if not self.stalls:
            return "the machine never stood still"
        longest = max(end - start for start, end in self.stalls)
        return f"the machine stood still {len(self.stalls)} times, at most {longest * 1000:.0f} ms"
