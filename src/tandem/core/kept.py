"""Results a process keeps for a while: reused while their key (what they were computed from)
is the same and they are young enough, the least recently used dropped beyond a size."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """Values by key, each with the moment it was computed."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()

    def get(self, key: Hashable, *, max_age: float) -> V | None:
        """The value kept under ``key`` if it is at most ``max_age`` seconds old."""
        kept = self._values.get(key)
        if kept is None or time.monotonic() - kept[0] >= max_age:
            return None
        self._values.move_to_end(key)
        return kept[1]

    def put(self, key: Hashable, value: V) -> None:
        self._values[key] = (time.monotonic(), value)
        self._values.move_to_end(key)
        while len(self._values) > self._size:
            self._values.popitem(last=False)
