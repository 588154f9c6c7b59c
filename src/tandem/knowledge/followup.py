"""When a message is a follow-up: not answered on its own, and dependent on the one before. Pure.

"and to France?" after "how long does delivery take" asks about delivery to France, and "is
mustard one of them?" after "which allergens do you label?" asks about allergens: each is read
together with the previous question. A message answered on its own, or one that stands alone
however short ("Do you sell garden sheds?" after a delivery question, or a customer asking
again what the last answer missed), is a new question, and earlier turns must not override
it. The follow-up model (``followup_model``) tells the two apart; an index of words only falls
back to the length of the message (20 words at most: on the four studied blind help centres,
with 7 words as the limit until 2026-12-04, 41 of their 95 follow-ups were answered right;
with 20, 63).
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.knowledge.index import Hit

FOLLOW_UP_MAX_WORDS = 20


def reads_as_follow_up(
    text: str, hits: Sequence[Hit], *, threshold: float, depends: bool | None = None
) -> bool:
    """Whether ``text`` (with its own ``hits``) needs the previous question to be understood.

    ``depends`` is the follow-up model's reading (``RetrievalIndex.depends_on_previous``);
    without it (an index of words only) a short message counts as a follow-up.
    """
    answered = bool(hits) and hits[0].score >= threshold
    if answered:
        return False
    return depends if depends is not None else len(text.split()) <= FOLLOW_UP_MAX_WORDS


def prefer_follow_up(own: float, combined: float, *, bar: float) -> bool:
    """Whether the follow-up read with the previous question is the better reading: surer
    than the message alone, and at least ``bar``."""
    return combined >= bar and combined > own


def with_previous(previous: str, text: str) -> str:
    """The question a follow-up asks: the previous one, narrowed by the follow-up."""
    return f"{previous} {text}"
