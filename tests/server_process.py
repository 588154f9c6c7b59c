"""What the tests' own servers share: ``with Server(...) as s`` starts it and stops it after."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Startable:
    """A server with ``start`` (returning itself) and ``stop``, usable as a context manager."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
