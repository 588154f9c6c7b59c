"""Every sentence the bot says to customers, in one place."""

from __future__ import annotations

from collections.abc import Mapping

from tandem.core import i18n
from tandem.escalation.reasons import Reason, ReasonCode

_TOPIC_OPENINGS = frozenset(
    {"self_harm", "bereavement", "fraud", "health", "legal", "vulnerability"}
)
_OPENINGS = frozenset(
    {
        ReasonCode.CUSTOMER_REQUEST,
        ReasonCode.NEGATIVE_EMOTION,
        ReasonCode.LOW_CONFIDENCE,
        ReasonCode.REPEATED_FAILURE,
        ReasonCode.VIP,
        ReasonCode.AGENT_TAKEOVER,
    }
)


def greeting(company: str) -> str:
    return (
        f"Hi! I'm the {company} virtual assistant: an AI, not a person. I answer from our help "
        "centre and show where each answer comes from. You can talk to a person at any time."
    )


def handoff_opening(primary: Reason, language: str | None = None) -> str:
    """Return the first sentence the customer reads when the bot hands over, in their language."""
    if primary.code is ReasonCode.SENSITIVE_TOPIC:
        topic = primary.evidence.split(":", 1)[0]
        if topic in _TOPIC_OPENINGS:
            emergency = i18n.text("emergency", language)
            return i18n.text(f"opening_{topic}", language, emergency=emergency)
    code = primary.code if primary.code in _OPENINGS else ReasonCode.CUSTOMER_REQUEST
    return i18n.text(f"opening_{code.value}", language)


def speaks(language: str | None) -> bool:
    """Whether the bot has its sentences in ``language``."""
    return language in i18n.available()


def tentative(answer: str, language: str | None = None) -> str:
    """Wrap an answer the bot is not sure fits the question: show it, say so, and ask."""
    return i18n.text("tentative", language, answer=answer)


def as_written(passage: str, language: str | None) -> str:
    """Say that the passage is quoted in the language the help centre is written in."""
    return f"{i18n.text('passage_language_note', language)}\n\n{passage}"


def not_sure(*, has_suggestions: bool, language: str | None = None) -> str:
    return i18n.text("not_sure_suggestions" if has_suggestions else "not_sure", language)


_SMALL_TALK = {
    "greeting": "Hello! What can I help you with today?",
    "thanks": "You're welcome! Is there anything else I can help with?",
    "goodbye": "Thanks for chatting with us. Goodbye!",
    "identity": (
        "I'm an AI assistant, not a person. I answer from our help centre. If you'd rather talk "
        "to a person, just say so or press “Talk to a person”."
    ),
    "acknowledgement": "Is there anything else I can help with?",
    "chitchat": (
        "I'm better at questions about orders, delivery and returns than at small talk, I'm "
        "afraid. What can I help you with?"
    ),
    "statement": (
        "Thanks for letting me know. What would you like help with? You can also talk to a "
        "person at any time."
    ),
}


def small_talk(kind: str) -> str:
    return _SMALL_TALK[kind]


def redacted_notice(language: str | None) -> str:
    """Say that a secret was removed from the customer's message, and not to share one here."""
    return i18n.text("redacted_notice", language)


def waiting_ack(language: str | None) -> str:
    """Say that a message sent while waiting for a person was kept and will be seen."""
    return i18n.text("waiting_ack", language)


def language_not_understood() -> str:
    """Say, in the languages the bot reads, that it cannot read this one, and offer a person."""
    return i18n.text("language_not_understood")


# Actions: the bot doing something for the customer.
def action_stopped(label: str) -> str:
    return f"No problem, I've stopped: {label.lower()}. What else can I help with?"


CONFIRM_CHOICES = ("Yes", "No")


def action_confirm(label: str, slots: Mapping[str, str]) -> str:
    details = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in slots.items())
    return (
        f"Before I go ahead: {label.lower()} ({details})? Reply “Yes” to go ahead or “No” to "
        "leave everything as it is."
    )


def action_reask(prompt: str) -> str:
    return f"Sorry, I didn't catch that. {prompt}"


def action_give_up(label: str) -> str:
    return (
        f"I couldn't get what I need to {label.lower()}, so I'm passing you to a person from "
        "our team, with what you've told me."
    )


def action_backend_error(label: str) -> str:
    return (
        f"I'm sorry: I couldn't {label.lower()} because our system didn't answer properly just "
        "now. I haven't tried again, so nothing has been done twice. I'm passing you to a person "
        "from our team with the details you gave me."
    )


def action_person_decides() -> str:
    return "A person from our team needs to look at this, so I'm passing it on with the details."


def clarify(labels: list[str]) -> str:
    options = " or ".join(f"“{label}”" for label in labels)
    return f"Just to be sure I help with the right thing: do you mean {options}?"


def verification_failed() -> str:
    return (
        "Those details don't match our records, so I can't go ahead. I'm passing you to a "
        "person from our team who can check who you are another way."
    )
