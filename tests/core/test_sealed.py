"""Sealed model files: a body is read back only while it matches its checksum."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.core.sealed import SealBrokenError, read_sealed, write_sealed


def test_a_sealed_body_is_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "model.json"
    digest = write_sealed(path, {"b": [1, 2], "a": "x"}, key="gate", indent=1, newline=False)
    assert len(digest) == 64
    assert read_sealed(path, key="gate", indent=1) == {"a": "x", "b": [1, 2]}
    assert not path.read_text().endswith("\n")


def test_an_edited_body_breaks_the_seal(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    write_sealed(path, {"threshold": 0.5})
    path.write_text(path.read_text().replace("0.5", "0.1"))
    with pytest.raises(SealBrokenError, match="does not match its checksum"):
        read_sealed(path)


def test_a_file_of_another_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"sha256": "x", "model": [1]}')
    with pytest.raises(TypeError):
        read_sealed(path)
    with pytest.raises(KeyError):
        read_sealed(path, key="gate")
