"""Waiting for something another task or process does, without a time limit that can flake."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 60.0) -> None:
    """Wait until ``check`` holds; fail after ``within`` seconds (generous: a busy machine is
    slow, and only a hung test ever waits that long)."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"still not so after {within:.0f} s")
        await asyncio.sleep(0.1)
