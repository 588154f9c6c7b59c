"""Routine labelled conversations become corpus examples that carry no handoff signal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.nlu.dialog_corpus import routine_examples, routine_messages, write_examples
from tandem.nlu.heads import Signal
from tandem.nlu.heads_training import CorpusError, load_corpus
from tandem.nlu.reading import Reader, load_reader


def dialog(turns: list[str], *, human: bool, lang: str | None = None) -> str:
    fields = {"turns": turns, "expect_human": human, "by_turn": 1 if human else None}
    return json.dumps({**fields, **({"lang": lang} if lang else {})}, ensure_ascii=False)


@pytest.fixture
def dialogs(tmp_path: Path) -> Path:
    lines = [
        dialog(["Hallo!", "Liefert ihr auch nach Österreich?"], human=False),
        dialog(["Ich will sofort mit einem Menschen sprechen"], human=True),
        dialog(["liefert ihr auch nach österreich?", "Danke!"], human=False),  # said before
        dialog(["Do you ship to Norway?"], human=False, lang="en"),
    ]
    path = tmp_path / "de.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_reader()


def test_only_routine_conversations_give_examples_each_text_once(dialogs: Path) -> None:
    assert routine_messages([dialogs]) == {
        "de": ["Hallo!", "Liefert ihr auch nach Österreich?", "Danke!"],
        "en": ["Do you ship to Norway?"],  # a dialog's own language wins over its file's
    }


def test_a_bad_line_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "en.jsonl"
    path.write_text('{"turns": ["hi"], "expect_human": false}\n{"turns": 3}\n')
    with pytest.raises(CorpusError, match=r"en\.jsonl:2"):
        routine_messages([path])


def test_examples_carry_no_handoff_signal_and_keep_small_talk(
    dialogs: Path, reader: Reader, tmp_path: Path
) -> None:
    examples = {e.text: e for e in routine_examples([dialogs], reader)}
    assert examples["Hallo!"].labels == (Signal.SMALL_TALK,)
    assert examples["Do you ship to Norway?"].labels == ()
    assert all(e.dialog for e in examples.values())  # learnt whole, never clause by clause
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert write_examples(list(examples.values()), corpus) == {"de": 3, "en": 1}
    assert {e.text for e in load_corpus(corpus) if e.dialog} == set(examples)
