"""Every sentence the bot says to customers, in one place."""

from __future__ import annotations

from tandem.escalation.reasons import Reason, ReasonCode

EMERGENCY = (
    "If anyone is hurt or in danger, please call emergency services first "
    "(112 in the EU, 999 in the UK)."
)

_TOPIC_OPENINGS = {
    "self_harm": (
        "I'm really sorry you're going through this, and I'm glad you told us. You don't have to "
        "face it alone. If you are in immediate danger, please call 112 (EU) or 999 (UK) now. "
        "Samaritans are there any time, free, on 116 123 (UK and Ireland). "
        "A person from our team is joining you right now."
    ),
    "bereavement": (
        "I'm so sorry for your loss. A person from our team will take care of this for you "
        "personally."
    ),
    "fraud": (
        "Thank you for telling us. Security concerns are handled by a person from our team. "
        "Please don't share full card numbers or passwords in this chat."
    ),
    "health": f"I'm sorry to hear that. {EMERGENCY} A person from our team will take over now.",
    "legal": "I understand. A person from our team will take this over.",
    "vulnerability": "Thank you for letting us know. A person from our team will help you.",
}

_OPENINGS = {
    ReasonCode.CUSTOMER_REQUEST: "Of course. I'm connecting you with a person from our team.",
    ReasonCode.NEGATIVE_EMOTION: (
        "I'm sorry this has been frustrating. I'm bringing in a person from our team who can "
        "sort it out."
    ),
    ReasonCode.LOW_CONFIDENCE: (
        "I'm not sure I have the right answer, so I'm passing you to a person from our team. "
        "They'll see what you've asked, so you won't need to repeat yourself."
    ),
    ReasonCode.REPEATED_FAILURE: (
        "I'm sorry I couldn't find the answer. I'm passing you to a person from our team; they'll "
        "see what you've asked so far, so you won't need to repeat yourself."
    ),
    ReasonCode.VIP: "I'm connecting you with a person from our team.",
}


def greeting(company: str) -> str:
    return (
        f"Hi! I'm the {company} virtual assistant: an AI, not a person. I answer from our help "
        "centre and show where each answer comes from. You can talk to a person at any time."
    )


def handoff_opening(primary: Reason) -> str:
    """Return the first sentence the customer reads when the bot hands over."""
    if primary.code is ReasonCode.SENSITIVE_TOPIC:
        topic = primary.evidence.split(":", 1)[0]
        return _TOPIC_OPENINGS.get(topic, _OPENINGS[ReasonCode.CUSTOMER_REQUEST])
    return _OPENINGS.get(primary.code, _OPENINGS[ReasonCode.CUSTOMER_REQUEST])


def not_sure(*, has_suggestions: bool) -> str:
    if has_suggestions:
        return (
            "I'm not sure I have the answer to that. These articles might help. You can also "
            "rephrase your question, or talk to a person."
        )
    return (
        "I'm not sure I have the answer to that. Could you rephrase it? You can also talk to a "
        "person at any time."
    )


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


def language_not_understood() -> str:
    """Say, in the languages the bot reads, that it cannot read this one, and offer a person."""
    return (
        "Sorry, I can't read that language yet. I understand English, Español, Français, "
        "Deutsch, Italiano, Português, Nederlands, Polski and 中文. Press “Talk to a person” "
        "and someone from our team will help you."
    )


# Actions: the bot doing something for the customer.
def action_stopped(label: str) -> str:
    return f"No problem, I've stopped: {label.lower()}. What else can I help with?"


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
