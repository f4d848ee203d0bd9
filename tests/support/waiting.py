"""Waiting for something that happens asynchronously on the bus, with a deadline."""

import time


def wait_until(check, timeout: float = 10.0, interval: float = 0.1):
    """Call `check` until it returns something truthy; fail with the last value after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last: {result!r})")
        time.sleep(interval)
