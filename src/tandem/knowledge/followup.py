"""When a message is a follow-up: not answered on its own, and not a paragraph. Pure.

"and to France?" after "how long does delivery take" asks about delivery to France, and "What
if the meter was swapped for a new one last week?" after "How do I send you a meter reading?"
asks about meter readings: each is read together with the previous question. A message that
is answered on its own, or is long enough to carry its own context, is a new question, and
earlier turns must not override it. (On the four studied blind help centres, with 7 words as
the limit until 2026-12-04, 41 of their 95 follow-ups were answered right; with 20, 63, and
confident wrong answers went from 108 to 110 of their 1,260 questions.)
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.knowledge.index import Hit

FOLLOW_UP_MAX_WORDS = 20


def reads_as_follow_up(text: str, hits: Sequence[Hit], *, threshold: float) -> bool:
    """Whether ``text`` (with its own ``hits``) needs the previous question to be understood."""
    answered = bool(hits) and hits[0].score >= threshold
    return not answered and len(text.split()) <= FOLLOW_UP_MAX_WORDS


def with_previous(previous: str, text: str) -> str:
    """The question a follow-up asks: the previous one, narrowed by the follow-up."""
    return f"{previous} {text}"
