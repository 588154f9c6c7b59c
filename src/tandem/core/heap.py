"""Keep what a process loads at start-up out of the garbage collector's full passes.

A serving process holds about 300,000 objects that live as long as it does: the code of
SQLAlchemy, SciPy, scikit-learn and the rest (mostly functions, tuples and dicts), and the
models the warm-up loads. CPython's full (oldest-generation) collection walks every one of
them: about 165 ms on this project's 2-core machine, on the event loop, every few report
pages. Freezing them after start-up (``gc.freeze``, as large Python web services do) moves
them to a generation the collector never walks; objects made later are collected as before.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)


def freeze_start_up_objects() -> int:
    """Collect the garbage start-up left, then freeze every object still alive.

    Call once the process has loaded what it keeps (after the warm-up). Returns how many
    objects the collector will no longer walk. Frozen objects are still freed when nothing
    refers to them; only a reference cycle among them stays, so freeze nothing short-lived.
    """
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("froze %d start-up objects out of the garbage collector's full passes", frozen)
    return frozen
