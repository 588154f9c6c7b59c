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


def greeting(company: str, language: str | None = None) -> str:
    return i18n.text("greeting", language, company=company)


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


SMALL_TALK_KINDS = frozenset(
    {"greeting", "thanks", "goodbye", "identity", "acknowledgement", "chitchat", "statement"}
)


def small_talk(kind: str, language: str | None = None) -> str:
    """Reply to small talk of ``kind`` (a greeting, thanks...) in the customer's language."""
    if kind not in SMALL_TALK_KINDS:
        raise ValueError(f"unknown kind of small talk: {kind!r}")
    return i18n.text(f"small_talk_{kind}", language)


def redacted_notice(language: str | None) -> str:
    """Say that a secret was removed from the customer's message, and not to share one here."""
    return i18n.text("redacted_notice", language)


def waiting_ack(language: str | None) -> str:
    """Say that a message sent while waiting for a person was kept and will be seen."""
    return i18n.text("waiting_ack", language)


def language_not_understood() -> str:
    """Say, in the languages the bot reads, that it cannot read this one, and offer a person."""
    return i18n.text("language_not_understood")


# Actions: the bot doing something for the customer. Labels and prompts come from the action
# file, already in the customer's language.
def action_stopped(label: str, language: str | None = None) -> str:
    return i18n.text("action_stopped", language, label=label)


def confirm_choices(language: str | None = None) -> tuple[str, str]:
    """The Yes and No buttons under a confirmation, in words the yes/no reader knows."""
    return i18n.text("confirm_yes", language), i18n.text("confirm_no", language)


def action_confirm(label: str, slots: Mapping[str, str], language: str | None = None) -> str:
    details = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in slots.items())
    return i18n.text("action_confirm", language, label=label, details=details)


def action_reask(prompt: str, language: str | None = None) -> str:
    return i18n.text("action_reask", language, prompt=prompt)


def action_give_up(label: str, language: str | None = None) -> str:
    return i18n.text("action_give_up", language, label=label)


def action_backend_error(label: str, language: str | None = None) -> str:
    return i18n.text("action_backend_error", language, label=label)


def action_person_decides(language: str | None = None) -> str:
    return i18n.text("action_person_decides", language)


def clarify(labels: list[str], language: str | None = None) -> str:
    joiner = i18n.text("clarify_or", language)
    options = joiner.join(f"“{label}”" for label in labels)
    return i18n.text("clarify", language, options=options)


def verification_failed(language: str | None = None) -> str:
    return i18n.text("verification_failed", language)
