"""Per-process caches of read-mostly rows, each entry kept for a few seconds.

Only what may be a few seconds stale goes here (a checkpoint's policy, an exhibition's
opening hours, public keys); never a count or a status that a rule depends on. Every
worker has its own copy: an edit reaches all of them within the time to live.
"""

from __future__ import annotations

import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_ALL: list[TTLCache[object, object]] = []


class TTLCache(Generic[K, V]):
    def __init__(self, seconds: float, max_entries: int = 4096) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        _ALL.append(self)  # type: ignore[arg-type]

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] > self.seconds:
            return None
        return entry[1]

    def age(self, key: K) -> float | None:
        """Seconds since ``key`` was stored; None when absent."""
        entry = self._entries.get(key)
        return None if entry is None else time.monotonic() - entry[0]

    def put(self, key: K, value: V) -> V:
        if len(self._entries) >= self.max_entries and key not in self._entries:
            self._entries.clear()  # bounded: ids from requests must not grow it forever
        self._entries[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        self._entries.clear()


def clear_all_caches() -> None:
    """Forget every cached row in this process (tests, after emptying the tables)."""
    for cache in _ALL:
        cache.clear()
