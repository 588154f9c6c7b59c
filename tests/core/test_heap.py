"""Objects loaded at start-up leave the garbage collector's full passes; later ones do not."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from tandem.core.heap import freeze_start_up_objects


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def _walked(thing: object) -> bool:
    return any(o is thing for o in gc.get_objects())


def test_what_was_loaded_is_no_longer_walked(unfrozen: None) -> None:
    loaded = {"weights": [1.0, 2.0]}
    assert _walked(loaded)

    frozen = freeze_start_up_objects()

    assert frozen >= 1
    assert not _walked(loaded)
    made_later = {"row": [3]}
    assert _walked(made_later)


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_garbage_left_by_start_up_is_collected_not_frozen(unfrozen: None) -> None:
    node = _Node()  # a reference cycle: only the collector frees it
    gone = weakref.ref(node)
    del node
    assert gone() is not None

    freeze_start_up_objects()

    assert gone() is None
