"""Training files load from CSV or JSONL, and every problem is reported with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.nlu.intents.data import (
    DataError,
    load_eval_examples,
    load_examples,
    normalise_label,
)

GOOD_ROWS = "".join(
    f"{text},{intent}\n"
    for intent in ("a", "b")
    for text in (f"one {intent}", f"two {intent}", f"three {intent}")
)


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param("words,label\nhi,a\n", "line 1: the header needs columns", id="no-header"),
        pytest.param(
            "text,intent\n" + GOOD_ROWS + ",a\n", "line 8: 'text' is missing", id="empty-text"
        ),
        pytest.param(
            "text,intent\n" + GOOD_ROWS + "hello,\n", "line 8: 'intent' is missing", id="no-intent"
        ),
        pytest.param(
            "text,intent\n" + GOOD_ROWS + "hello,?!\n", "line 8: 'intent' is missing", id="no-label"
        ),
        pytest.param(
            "text,intent\n" + GOOD_ROWS + "ONE A,b\n",
            "line 8: the same text is labelled 'a' on line 2 and 'b' here",
            id="conflict",
        ),
        pytest.param(
            "text,intent\nx,a\ny,a\nz,a\nw,b\n",
            "intent 'b' has 1 example(s); give at least 3",
            id="too-few",
        ),
        pytest.param(
            "text,intent\nx,a\ny,a\nz,a\n", "only 1 in-scope intent(s) found", id="one-intent"
        ),
    ],
)
def test_csv_problems_are_reported_with_their_line(
    tmp_path: Path, content: str, problem: str
) -> None:
    with pytest.raises(DataError) as caught:
        load_examples(_write(tmp_path, "train.csv", content))
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    assert "train.csv" in str(caught.value)


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        pytest.param(['{"text": "hi"'], "line 1: not valid JSON", id="broken-json"),
        pytest.param(['["hi", "a"]'], "line 1: expected an object", id="not-object"),
        pytest.param(['{"text": 3, "intent": "a"}'], "line 1: 'text' is missing", id="not-text"),
    ],
)
def test_jsonl_problems_are_reported_with_their_line(
    tmp_path: Path, lines: list[str], problem: str
) -> None:
    with pytest.raises(DataError) as caught:
        load_examples(_write(tmp_path, "train.jsonl", "\n".join(lines) + "\n"))
    assert caught.value.problems[0].startswith(problem)


def test_csv_loads_with_extra_columns_blank_lines_and_quoted_newlines(tmp_path: Path) -> None:
    content = 'text,intent,source\n"two\nlines",a,chat\n\n' + GOOD_ROWS.replace("\n", ",x\n")
    dataset = load_examples(_write(tmp_path, "train.csv", content))
    assert dataset.examples[0].text == "two lines"
    assert dataset.examples[1].line == 5
    assert dataset.intents == ["a", "b"]


def test_jsonl_loads_and_counts_out_of_scope_with_a_custom_label(tmp_path: Path) -> None:
    rows = [{"text": f"{word} {label}", "intent": label} for label in "ab" for word in "xyz"]
    rows += [{"text": f"none {n}", "intent": "none"} for n in range(3)]
    path = _write(tmp_path, "train.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    dataset = load_examples(path, oos_label="none")
    assert dataset.intents == ["a", "b"]
    assert dataset.oos_count == 3


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        pytest.param("missing.csv", "the file does not exist", id="missing"),
        pytest.param("train.txt", "unknown file type '.txt'", id="suffix"),
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, name: str, problem: str) -> None:
    if name != "missing.csv":
        _write(tmp_path, name, "text,intent\n")
    with pytest.raises(DataError, match=problem):
        load_examples(tmp_path / name)


def test_evaluation_files_need_no_minimum_per_intent(tmp_path: Path) -> None:
    dataset = load_eval_examples(_write(tmp_path, "test.csv", "text,intent\nhello,greeting\n"))
    assert dataset.labels == ["greeting"]


def test_fingerprint_follows_the_content(tmp_path: Path) -> None:
    first = load_examples(_write(tmp_path, "a.csv", "text,intent\n" + GOOD_ROWS))
    same = load_examples(_write(tmp_path, "b.csv", "text,intent\n" + GOOD_ROWS))
    other = load_examples(_write(tmp_path, "c.csv", "text,intent\n" + GOOD_ROWS + "four a,a\n"))
    assert first.fingerprint() == same.fingerprint() != other.fingerprint()


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("card_arrival", "card_arrival"),
        ("Where is my order?", "where_is_my_order"),
        ("  Refund  ", "refund"),
        ("billing/late-fee", "billing/late-fee"),
        ("Ｒｅｆｕｎｄ", "refund"),  # full-width letters
        ("退款?", "退款"),
    ],
)
def test_labels_are_normalised_not_refused(raw: str, label: str) -> None:
    assert normalise_label(raw) == label


def test_labels_that_differ_only_in_spelling_are_one_intent(tmp_path: Path) -> None:
    rows = "".join(
        f"{t},{lab}\n"
        for t, lab in [
            ("a1", "Refund?"),
            ("a2", "refund"),
            ("a3", "REFUND"),
            ("b1", "b"),
            ("b2", "b"),
            ("b3", "b"),
        ]
    )
    dataset = load_examples(_write(tmp_path, "train.csv", "text,intent\n" + rows))
    assert dataset.intents == ["b", "refund"]
