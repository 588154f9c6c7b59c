"""Action files: what the bot may do for a customer, declared in YAML and validated on load.

An action names the intents and phrases that start it, the slots it needs, how the customer
proves who they are, the backend call, and a reply per outcome. Safety is part of the schema:
an action is read-only unless it says ``writes: true``, and every outcome of a write other than
success must hand the conversation to a person, so the bot never refuses anything itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tandem.core.errors import TandemError
from tandem.nlu.intents.data import normalise_label
from tandem.nlu.language import SUPPORTED

SlotType = Literal["order_number", "email", "code", "text"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
TEMPLATES = SandboxedEnvironment(autoescape=False)  # rendered as text, never as HTML
# What the customer reads: one text, or one per language ({"en": ..., "de": ...}), the first
# given standing in for a language that is not listed.
Localised = str | dict[str, str]


class ActionFileError(TandemError):
    """An action file is unreadable or invalid; the message names the file and fields."""

    status_code = 422
    code = "invalid_action_file"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_template(text: str) -> str:
    try:
        TEMPLATES.parse(text)
    except TemplateSyntaxError as error:
        raise ValueError(f"template error: {error.message}") from error
    return text


def _check_localised(value: Localised) -> Localised:
    texts = {"": value} if isinstance(value, str) else value
    if not texts:
        raise ValueError("give the text, or a mapping of language codes to texts")
    for code, text in texts.items():
        if code and code not in SUPPORTED:
            raise ValueError(f"{code!r} is not a supported language; use one of {SUPPORTED}")
        if not text.strip():
            raise ValueError(f"the {code} text is empty" if code else "the text is empty")
        _check_template(text)
    return value


def in_language(text: Localised, language: str | None) -> str:
    """Return ``text`` in ``language``, or in the first language given when it is not there."""
    if isinstance(text, str):
        return text
    return text.get(language or "", next(iter(text.values())))


class Slot(_Strict):
    type: SlotType
    prompt: Localised = Field(description="The question that asks for this slot.")
    pattern: str | None = Field(default=None, description="A regex with one group; overrides.")

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, value: Localised) -> Localised:
        return _check_localised(value)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                compiled = re.compile(value)
            except re.error as error:
                raise ValueError(f"not a regular expression: {error}") from error
            if compiled.groups != 1:
                raise ValueError("the pattern must have exactly one group")
        return value


class Call(_Strict):
    method: HttpMethod = "GET"
    path: str = Field(pattern=r"^/", description="Appended to the backend base URL.")
    json_body: dict[str, str] | None = Field(default=None, alias="json")
    timeout_seconds: float = Field(default=5.0, gt=0, le=30)

    @field_validator("path")
    @classmethod
    def _template(cls, value: str) -> str:
        return _check_template(value)


class Verification(_Strict):
    """The customer proves who they are before the call: the backend checks these slots.

    With ``send``, it is a one-time code: ``send`` gets ``slots`` (e.g. the e-mail) and sends a
    code, the bot asks for ``code_slot``, and ``call`` checks ``slots`` plus the code.
    """

    slots: tuple[str, ...] = Field(min_length=1)
    call: Call
    send: Call | None = None
    code_slot: str | None = None
    failed: Localised = "Those details don't match our records. Could you check them and try again?"

    @field_validator("failed")
    @classmethod
    def _failed(cls, value: Localised) -> Localised:
        return _check_localised(value)

    @model_validator(mode="after")
    def _code_pairs(self) -> Verification:
        if (self.send is None) != (self.code_slot is None):
            raise ValueError("a one-time code needs both send and code_slot")
        return self

    @property
    def proof_slots(self) -> tuple[str, ...]:
        return (*self.slots, self.code_slot) if self.code_slot else self.slots


class Outcome(_Strict):
    reply: Localised
    handoff: bool = False  # a person decides; the reply is the bot's last word
    quick_replies: tuple[Localised, ...] = ()

    @field_validator("reply")
    @classmethod
    def _template(cls, value: Localised) -> Localised:
        return _check_localised(value)

    @field_validator("quick_replies")
    @classmethod
    def _buttons(cls, value: tuple[Localised, ...]) -> tuple[Localised, ...]:
        return tuple(_check_localised(button) for button in value)


class FollowUp(_Strict):
    """A question about the action's last result ("when will it arrive?"), answered from it."""

    patterns: tuple[str, ...] = Field(min_length=1)
    reply: Localised

    @field_validator("patterns")
    @classmethod
    def _compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a regular expression: {error}") from error
        return value

    @field_validator("reply")
    @classmethod
    def _template(cls, value: Localised) -> Localised:
        return _check_localised(value)

    def matches(self, text: str) -> bool:
        return any(re.search(p, text, re.IGNORECASE) for p in self.patterns)


class Action(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Localised = Field(description="How a quick reply or question names it.")
    intents: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    slots: dict[str, Slot] = {}
    verify: Verification | None = None
    call: Call
    writes: bool = False
    # A write runs only after the customer says yes to this question (a template over the
    # slots). True asks a plain question built from the label and the slots; false runs a
    # write without asking (sending a reset link, which changes nothing until it is used).
    confirm: Localised | bool = True
    outcomes: dict[int, str] = Field(min_length=1, description="HTTP status -> outcome name.")
    replies: dict[str, Outcome] = Field(min_length=1)
    follow_ups: tuple[FollowUp, ...] = ()

    @field_validator("intents")
    @classmethod
    def _normalised_intents(cls, intents: tuple[str, ...]) -> tuple[str, ...]:
        # As the intent model stores its labels: "Where is my order?" names where_is_my_order.
        return tuple(normalise_label(i) for i in intents)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a regular expression: {error}") from error
        return value

    @field_validator("label")
    @classmethod
    def _label(cls, value: Localised) -> Localised:
        return _check_localised(value)

    @field_validator("confirm")
    @classmethod
    def _confirm_template(cls, value: Localised | bool) -> Localised | bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and not value.strip():
            raise ValueError("give the question to ask, true for a plain one, or false")
        return _check_localised(value)

    @model_validator(mode="after")
    def _consistent(self) -> Action:
        if not self.intents and not self.patterns:
            raise ValueError("give at least one of intents or patterns, or nothing starts it")
        for slot in self.verify.proof_slots if self.verify else ():
            if slot not in self.slots:
                raise ValueError(f"verify uses slot {slot!r}, which is not declared in slots")
        for status, outcome in self.outcomes.items():
            if outcome not in self.replies:
                raise ValueError(f"outcome {outcome!r} (status {status}) has no reply")
            if self.writes and not 200 <= status < 300 and not self.replies[outcome].handoff:
                raise ValueError(
                    f"outcome {outcome!r} (status {status}) of a write must set handoff: true; "
                    "a person, never the bot, tells a customer no"
                )
        return self

    @property
    def needs_confirmation(self) -> bool:
        """A write asks the customer first, unless its file says ``confirm: false``."""
        return self.writes and self.confirm is not False

    @property
    def later_slots(self) -> frozenset[str]:
        """Slots asked for only after a verification step (a one-time code once it is sent)."""
        code = self.verify.code_slot if self.verify else None
        return frozenset({code} if code else ())

    def matches(self, text: str) -> bool:
        """Whether a phrase starts it, or the text is its label (a quick reply) in any language."""
        labels = [self.label] if isinstance(self.label, str) else self.label.values()
        said = text.strip().casefold()
        return any(said == label.casefold() for label in labels) or any(
            re.search(p, text, re.IGNORECASE) for p in self.patterns
        )

    def label_in(self, language: str | None) -> str:
        return in_language(self.label, language)


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or '(top level)'}: {e['msg']}"
        for e in error.errors(include_url=False)
    )


def load_action(path: Path) -> Action:
    """Read and validate one action file; errors name the file and each field."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ActionFileError(f"{path}: cannot read the action file: {error}") from error
    try:
        return Action.model_validate(document)
    except ValidationError as error:
        raise ActionFileError(f"{path}: {_problems(error)}") from error


@lru_cache(maxsize=8)
def _load_folder(folder: Path, _stamp: tuple[tuple[str, float], ...]) -> tuple[Action, ...]:
    actions = tuple(load_action(p) for p in sorted(folder.glob("*.yaml")))
    names = [a.name for a in actions]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ActionFileError(f"{folder}: action names must be unique: {', '.join(duplicates)}")
    return actions


def load_actions(folder: Path) -> tuple[Action, ...]:
    """Return the folder's actions, re-read whenever a file changes."""
    if not folder.is_dir():
        raise ActionFileError(f"{folder}: the actions folder does not exist")
    stamp = tuple((p.name, p.stat().st_mtime) for p in sorted(folder.glob("*.yaml")))
    return _load_folder(folder, stamp)
