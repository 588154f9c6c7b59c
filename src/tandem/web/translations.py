"""The interface's languages: gettext catalogues (``locales/LANG/LC_MESSAGES/messages.po``).

Pages and their scripts are written in English, which needs no catalogue. Another language's
``.po`` is compiled in memory the first time it is asked for (no ``.mo`` in the repository);
a text it lacks reads English. ``locales/messages.pot`` holds every text of the sources, with
where each is used: a page hands its scripts the translations of theirs (:func:`script_texts`).
The bot's own messages are another matter: ``core/i18n.py``, stored with the conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path, PurePosixPath

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from tandem.core import i18n

LOCALES = Path(__file__).parent / "locales"
TEMPLATE = LOCALES / "messages.pot"
ENGLISH = "en"
BROWSER = "browser"  # a language picker's choice: the browser's language (Accept-Language)


def N_(message: str) -> str:  # gettext's name for it, which extraction looks for
    """Mark ``message`` for extraction; the template translates it (``| translate``)."""
    return message


@dataclass(frozen=True, slots=True)
class Text:
    """A text chosen in Python with values: translated first, then filled in (``| translate``).

    ``Text(N_("Saved %(email)s."), {"email": email})``: the values never go through the catalogue.
    """

    message: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.values


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


@cache
def available() -> tuple[str, ...]:
    """Return the interface languages: English, then those with a catalogue, sorted."""
    others = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    return (ENGLISH, *others)


def chosen(value: str) -> str | None:
    """Return the language a picker's ``value`` stands for (None: the browser's).

    Raises ValueError when the interface has no such language.
    """
    if value == BROWSER:
        return None
    language = supported(value)
    if language is None:
        raise ValueError(value)
    return language


def language_names() -> dict[str, str]:
    """Return each interface language's name in that language ("Deutsch"), for a picker."""
    return {code: Locale.parse(code).get_display_name(code) or code for code in available()}


def supported(language: str | None) -> str | None:
    """Return the interface language ``language`` names ("de-AT" is "de"), or None."""
    return i18n.primary(language, available())


def negotiate(accept_language: str | None) -> str | None:
    """Return the interface language a browser prefers most (``Accept-Language``), or None."""
    return i18n.negotiate(accept_language, available())


@cache
def translations(language: str) -> NullTranslations:
    """Return the compiled catalogue of ``language`` (English: the texts as written)."""
    if supported(language) in (None, ENGLISH):
        return NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain="messages")


@cache
def _script_messages() -> dict[str, tuple[str, ...]]:
    """Return, for each script (``chat.js``), the texts it uses, read from messages.pot."""
    with TEMPLATE.open("rb") as pot:
        template = read_po(pot)
    found: dict[str, list[str]] = {}
    for message in template:
        if not message.id or not isinstance(message.id, str):
            continue
        for filename, _line in message.locations:
            if filename.endswith(".js"):
                found.setdefault(PurePosixPath(filename).name, []).append(message.id)
    return {script: tuple(ids) for script, ids in found.items()}


def script_texts(language: str, scripts: tuple[str, ...]) -> dict[str, str]:
    """Return the translations of the texts ``scripts`` use (none in English)."""
    translate = translations(language)
    texts: dict[str, str] = {}
    for script in scripts:
        for message in _script_messages().get(script, ()):
            translated = translate.gettext(message)
            if translated != message:
                texts[message] = translated
    return texts
