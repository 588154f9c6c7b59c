"""The interface's catalogues: complete, current with the sources, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tandem.web import translations

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
OTHER_LANGUAGES = [code for code in translations.available() if code != translations.ENGLISH]


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _sources(message: Message) -> tuple[str, ...]:
    value = message.id
    return tuple(value) if isinstance(value, list | tuple) else (value,)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Extract the texts of the sources now, as the README's command does."""
    output = tmp_path_factory.mktemp("pot") / "messages.pot"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # pyproject.toml's [tool.babel] paths are from the repository
        CommandLineInterface().run(
            ["pybabel", "-q", "extract", "-F", "pyproject.toml", "-o", str(output)]
        )
    return _read(output)


def test_german_is_offered_beside_english() -> None:
    assert translations.available()[0] == "en"
    assert "de" in translations.available()
    assert translations.language_names()["de"] == "Deutsch"


def test_the_template_holds_exactly_the_texts_of_the_sources(extracted: Catalog) -> None:
    template = _read(translations.TEMPLATE)
    assert len(_ids(extracted)) > 100  # the extraction found the pages' texts at all
    missing = _ids(extracted) - _ids(template)
    stale = _ids(template) - _ids(extracted)
    assert not missing, f"run `pybabel extract -F pyproject.toml`; new texts: {missing}"
    assert not stale, f"run `pybabel extract -F pyproject.toml`; texts gone: {stale}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_text_of_the_sources_is_translated(extracted: Catalog, language: str) -> None:
    catalog = _read(translations.catalogue_path(language), locale=language)
    by_id = {message.id: message for message in catalog if message.id}
    untranslated = [
        message.id
        for message in extracted
        if message.id
        and (
            message.id not in by_id
            or by_id[message.id].fuzzy
            or not all(s.strip() for s in _strings(by_id[message.id]))
        )
    ]
    assert not untranslated, f"translate these in locales/{language} (then drop 'fuzzy')"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translations_keep_the_placeholders_and_markup(language: str) -> None:
    catalog = _read(translations.catalogue_path(language), locale=language)
    for message in catalog:
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(_sources(message))))
        tags = sorted(re.findall(r"</?\w+", " ".join(_sources(message))))
        for string in _strings(message):
            assert set(PLACEHOLDER.findall(string)) == wanted, message.id
            assert sorted(re.findall(r"</?\w+", string)) == tags, message.id


def test_a_text_without_a_translation_reads_english() -> None:
    german = translations.translations("de")
    assert german.gettext("Talk to a person") == "Mit einer Person sprechen"
    assert german.gettext("A text nobody wrote") == "A text nobody wrote"
    assert translations.translations("en").gettext("Talk to a person") == "Talk to a person"


def test_scripts_get_the_translations_of_their_own_texts() -> None:
    chat = translations.script_texts("de", ("chat.js",))
    assert chat["Waiting for a person"] == "Warten auf eine Person"
    assert "Why did the bot say this?" not in chat  # render.js's, not asked for
    assert translations.script_texts("en", ("chat.js", "render.js")) == {}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("de-DE,de;q=0.9,en;q=0.8", "de", id="regional-german"),
        pytest.param("fr-FR,fr;q=0.9,de;q=0.5", "de", id="first-offered-one"),
        pytest.param("en;q=0.4,de;q=0.8", "de", id="by-weight-not-order"),
        pytest.param("de;q=0,en", "en", id="refused-language"),
        pytest.param("fr, es", None, id="none-offered"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="absent"),
        pytest.param("de;q=abc", None, id="malformed-weight"),
    ],
)
def test_negotiate(header: str | None, expected: str | None) -> None:
    assert translations.negotiate(header) == expected


@pytest.mark.parametrize(
    ("asked", "expected"),
    [("de", "de"), ("de-AT", "de"), ("DE", "de"), ("fr", None), ("", None), ("<x>", None)],
)
def test_supported(asked: str, expected: str | None) -> None:
    assert translations.supported(asked) == expected
