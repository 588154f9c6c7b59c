"""When a message is a follow-up: short, and not answered on its own. Pure.

"and to France?" after "how long does delivery take" asks about delivery to France: it is
read together with the previous question. A message that is answered on its own, or is long
enough to stand alone, is a new question, and earlier turns must not override it.
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.knowledge.index import Hit

FOLLOW_UP_MAX_WORDS = 7


def reads_as_follow_up(text: str, hits: Sequence[Hit], *, threshold: float) -> bool:
    """Whether ``text`` (with its own ``hits``) needs the previous question to be understood."""
    answered = bool(hits) and hits[0].score >= threshold
    return not answered and len(text.split()) <= FOLLOW_UP_MAX_WORDS


def with_previous(previous: str, text: str) -> str:
    """The question a follow-up asks: the previous one, narrowed by the follow-up."""
    return f"{previous} {text}"
