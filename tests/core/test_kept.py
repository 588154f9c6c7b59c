"""Kept results: reused while young enough, the least recently used dropped beyond the size."""

from __future__ import annotations

from tandem.core.kept import Kept


def test_a_value_is_reused_while_young_enough() -> None:
    kept: Kept[str] = Kept(2)
    kept.put("a", "first")
    assert kept.get("a", max_age=60) == "first"
    assert kept.get("a", max_age=0) is None  # too old for a caller who wants it fresh
    assert kept.get("b", max_age=60) is None


def test_the_least_recently_used_goes_first() -> None:
    kept: Kept[int] = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a", max_age=60) == 1  # "a" was used: "b" is now the oldest
    kept.put("c", 3)
    assert kept.get("b", max_age=60) is None
    assert (kept.get("a", max_age=60), kept.get("c", max_age=60)) == (1, 3)
