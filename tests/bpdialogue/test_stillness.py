"""The fault tests' measure of time: what the process did not get to run is taken out, what it
waited for is not (tests/stillness.py)."""

import random
import time

from tests.stillness import Stillness


def test_a_moment_the_machine_stood_still_is_taken_out_and_a_wait_is_not():
    numbers = [random.random() for _ in range(3_000_000)]
    with Stillness() as stillness:
        asked_at = time.monotonic()
        # Sorting floats holds the interpreter lock throughout: nothing in this process runs,
        # as when the machine stops.
        numbers.sort()
        stood_still = time.monotonic() - asked_at
        waited_from = time.monotonic()
        time.sleep(0.3)
        waited = time.monotonic() - waited_from
    assert stood_still > 0.3, "the sort was too quick to prove anything"
    assert stillness.server_seconds(asked_at, stood_still) < 0.05
    assert stillness.server_seconds(waited_from, waited) == waited
