"""Draft a knowledge change from a conversation a person had to resolve. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Handoffs that mean the bot could not help (as opposed to a customer who wanted a person).
BOT_COULD_NOT_HELP = frozenset({"low_confidence", "repeated_failure", "loop"})
_SMALL_TALK = re.compile(
    r"^(hi|hello|hey|thanks?( you)?|ok(ay)?|yes|no|cheers|bye|great|perfect)\W*$", re.IGNORECASE
)
SLUG_WORDS = 8
MIN_ANSWER_WORDS = 8


@dataclass(frozen=True, slots=True)
class Line:
    """One message of the conversation, as the drafter sees it."""

    author: str  # customer, bot, agent, system
    text: str
    kind: str | None = None  # bot and system turns: answer, not_sure, handoff, ...
    topic: str | None = None  # customer turns: what the bot thought it was about


@dataclass(frozen=True, slots=True)
class Existing:
    """The closest article already published, if close enough to update rather than add."""

    slug: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Draft:
    kind: str  # new_article, update_article
    question: str
    answer: str
    slug: str
    title: str
    body: str
    intent: str
    examples: tuple[str, ...]


def unanswered_questions(lines: Sequence[Line], *, handoff_reasons: Sequence[str]) -> list[Line]:
    """Return the customer questions the bot could not answer, in order, once each.

    A question is unanswered when the bot replied "not sure" to it, or when it is the last
    customer message before a handoff for low confidence, repeated failure or a loop.
    """
    found: list[Line] = []
    last_question: Line | None = None
    could_not_help = bool(BOT_COULD_NOT_HELP.intersection(handoff_reasons))
    for line in lines:
        if line.author == "customer":
            if not _SMALL_TALK.match(line.text.strip()):
                last_question = line
        elif last_question is not None and (
            (line.author == "bot" and line.kind == "not_sure")
            or (line.author == "system" and line.kind == "handoff" and could_not_help)
        ):
            if all(q.text != last_question.text for q in found):
                found.append(last_question)
            last_question = None
        elif line.author in ("agent", "bot"):
            last_question = None
    return found


def human_answer(lines: Sequence[Line]) -> str:
    """Join what the person wrote: the answer the bot lacked, without greetings and fillers.

    Replies shorter than ``MIN_ANSWER_WORDS`` ("Hi, I'm Ana", "Let me check") are left out
    unless the person wrote nothing longer.
    """
    replies = [" ".join(line.text.split()) for line in lines if line.author == "agent"]
    substantive = [r for r in replies if len(r.split()) >= MIN_ANSWER_WORDS]
    return "\n\n".join(substantive or replies)


def title_for(question: str) -> str:
    """Turn a customer question into an article title: capitalised, one question mark."""
    text = " ".join(question.split()).rstrip(" ?!.")
    return (text[:1].upper() + text[1:])[:290] + "?"


def slugify(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:SLUG_WORDS]
    return "-".join(words) or "answer"


def draft(
    questions: Sequence[Line], answer: str, *, existing: Existing | None = None
) -> Draft | None:
    """Draft an article (or an addition to ``existing``) from the first unanswered question.

    Every unanswered phrasing becomes a training example for the same intent. Returns None when
    there is no question or no human answer to learn from.
    """
    if not questions or not answer.strip():
        return None
    question = questions[0].text.strip()
    title = title_for(question)
    examples = tuple(dict.fromkeys(q.text.strip() for q in questions))
    if existing is not None:
        body = f"{existing.body.rstrip()}\n\n## {title}\n\n{answer}\n"
        return Draft(
            "update_article", question, answer, existing.slug, existing.title, body,
            existing.slug, examples,
        )  # fmt: skip
    slug = slugify(title)
    return Draft("new_article", question, answer, slug, title, f"{answer}\n", slug, examples)
