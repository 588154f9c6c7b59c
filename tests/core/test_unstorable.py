"""What no database can store is recognised in bodies of every kind."""

from __future__ import annotations

import pytest

from tandem.core.unstorable import body_problem, problem


@pytest.mark.parametrize(
    ("body", "content_type", "refused"),
    [
        (b'{"a": "fine"}', "application/json", False),
        (b'{"a": ["x", {"b": "\\u0000"}]}', "application/json", True),
        (b'{"\\u0000": 1}', "application/json", True),
        (b'{"a": Infinity}', "application/json", True),
        (b"{not json", "application/json", False),  # the route reports malformed JSON
        (b"note=hello%00there", "application/x-www-form-urlencoded", True),
        (b"note=caf%C3%A9", "application/x-www-form-urlencoded", False),
        (b"note=%ED%A0%80", "application/x-www-form-urlencoded", True),
    ],
)
def test_body_problem(body: bytes, content_type: str, refused: bool) -> None:
    assert (body_problem(body, content_type) is not None) is refused


def test_problem_says_what_to_remove() -> None:
    assert problem("ok") is None
    message = problem("a\x00b")
    assert message is not None
    assert "NUL" in message
