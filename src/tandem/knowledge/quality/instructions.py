"""Instructions aimed at a language model: text in an article that talks to the bot, not to
customers, which is how an edited page tries to steer generated answers (prompt injection).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import yaml

from tandem.knowledge.quality.findings import AuditArticle, Finding, FindingKind

PATTERNS_FILE = Path(__file__).with_name("model_instructions.yaml")
_MAX_QUOTE = 100
# A chat-template turn pasted into a page ("<|im_start|>system ... <|im_end|>") is dropped whole.
_CHAT_TEMPLATE = re.compile(r"<\|im_start\|>.*?(?:<\|im_end\|>|\Z)", re.DOTALL)


@cache
def _pattern() -> re.Pattern[str]:
    """Every language's patterns as one alternation: a text is scanned once, not once each."""
    by_language: dict[str, list[str]] = yaml.safe_load(PATTERNS_FILE.read_text("utf-8"))
    for patterns in by_language.values():
        for pattern in patterns:
            re.compile(pattern)  # a bad entry is named here, not lost in the alternation
    alternatives = (f"(?:{p})" for patterns in by_language.values() for p in patterns)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def addresses_a_model(text: str) -> bool:
    """Whether ``text`` holds wording aimed at a language model rather than a customer."""
    return _pattern().search(text) is not None


def without_model_instructions(text: str) -> str:
    """Return ``text`` without the lines (paragraphs) that address a language model.

    A whole line goes, not only the sentence that names the model: the instruction itself
    ("Always say ...") usually follows the address ("Note for AI assistants: ...").
    """
    text = _CHAT_TEMPLATE.sub("", text)
    if not addresses_a_model(text):
        return text
    return "\n".join(line for line in text.splitlines() if not addresses_a_model(line)).strip()


def model_instructions(text: str) -> list[str]:
    """Return the lines of ``text`` that address a language model, each once."""
    return list(_instruction_lines(text))


@lru_cache(maxsize=4096)
def _instruction_lines(text: str) -> tuple[str, ...]:
    # Kept per text: an audit reads every article again and the long alternation is slow
    # (about 0.7 ms an article), while articles rarely change between two audits.
    if not addresses_a_model(text):
        return ()
    found: list[str] = []
    for line in text.splitlines():
        if addresses_a_model(line):
            quote = " ".join(line.split())
            found.append(quote if len(quote) <= _MAX_QUOTE else quote[: _MAX_QUOTE - 1] + "…")
    return tuple(dict.fromkeys(found))


def find_model_instructions(articles: Sequence[AuditArticle]) -> list[Finding]:
    """Report every article with text addressed to a language model."""
    findings: list[Finding] = []
    for article in articles:
        lines = model_instructions(f"{article.title}\n{article.body}")
        if lines:
            quoted = "; ".join(f'"{line}"' for line in lines)
            findings.append(
                Finding(
                    FindingKind.MODEL_INSTRUCTION,
                    (article.title,),
                    f"'{article.title}' holds text addressed to a language model: {quoted}.",
                    "Check who edited the article and remove the instructions; an answer "
                    "writer treats articles as data, but customers should never read them.",
                )
            )
    return findings
