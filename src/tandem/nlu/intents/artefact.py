"""Save and load a trained intent model as a versioned folder of plain data files.

A model folder holds ``metadata.json`` (format version, labels, seed, thresholds, training date,
SHA-256 of the training data and of the other files), ``vocabulary.json`` (the n-grams) and
``weights.npz`` (numbers only, read with ``allow_pickle=False``); a model whose encoder was
fine-tuned also holds it in ``encoder/`` (safetensors weights, JSON configuration and
tokenizer). Nothing is unpickled, so loading a folder cannot run code; the checksums catch a
truncated or hand-edited file. Still, load only models you trained: a doctored model can make
the bot answer anything.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from tandem.nlu.intents.encoders import (
    EncoderUnavailableError,
    FineTunableEncoder,
    MiniLMEncoder,
    SentenceEncoder,
)
from tandem.nlu.intents.features import FeatureConfig, TextFeatures
from tandem.nlu.intents.model import Calibration, IntentModel, LinearScorer

FORMAT_VERSION = 2  # 2: weights stored features-by-classes
METADATA = "metadata.json"
VOCABULARY = "vocabulary.json"
WEIGHTS = "weights.npz"
ENCODER = "encoder"  # the fine-tuned encoder's folder, when there is one
logger = logging.getLogger(__name__)
EncoderFactory = Callable[[], SentenceEncoder]
# ``load_model``'s default: the encoder the model was trained with (its fine-tuned copy from
# the model folder, or the packaged MiniLM), if the embeddings extra is installed.
OwnEncoder = Literal["own"]
OWN_ENCODER: OwnEncoder = "own"


class ArtefactError(RuntimeError):
    """Raised when a model folder is missing, damaged or from another format version."""


def save_model(model: IntentModel, folder: Path) -> Path:
    """Write the model to folder (created if needed) and return the metadata file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    word_terms, char_terms = model.features.vocabularies()
    word_idf, char_idf = model.features.idf()
    arrays: dict[str, NDArray[np.generic]] = {
        "word_idf": word_idf,
        "char_idf": char_idf,
        "text_weights": model.text_scorer.weights,
        "text_intercept": model.text_scorer.intercept,
    }
    if model.embedding_scorer is not None:
        arrays["embedding_weights"] = model.embedding_scorer.weights
        arrays["embedding_intercept"] = model.embedding_scorer.intercept
    with (folder / WEIGHTS).open("wb") as handle:
        np.savez(handle, allow_pickle=False, **arrays)
    vocabulary = {"word": word_terms, "char": char_terms}
    (folder / VOCABULARY).write_text(json.dumps(vocabulary, ensure_ascii=False), "utf-8")
    files = [WEIGHTS, VOCABULARY]
    tuned = model.encoder if "fine_tuning" in model.info else None
    if isinstance(tuned, FineTunableEncoder):
        tuned.save(folder / ENCODER)
        files += sorted(
            path.relative_to(folder).as_posix()
            for path in (folder / ENCODER).rglob("*")
            if path.is_file()
        )
    document = {
        "format_version": FORMAT_VERSION,
        "tandem_version": _tandem_version(),
        "labels": list(model.labels),
        "oos_label": model.oos_label,
        "feature_config": {
            "word_ngrams": list(model.features.config.word_ngrams),
            "char_ngrams": list(model.features.config.char_ngrams),
        },
        "text_calibration": _calibration_json(model.text_calibration),
        "blend_calibration": (
            None if model.blend_calibration is None else _calibration_json(model.blend_calibration)
        ),
        "encoder_folder": ENCODER if isinstance(tuned, FineTunableEncoder) else None,
        "files": {name: _sha256(folder / name) for name in files},
        "training": model.info,
    }
    path = folder / METADATA
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def load_model(
    folder: Path, *, encoder_factory: EncoderFactory | OwnEncoder | None = OWN_ENCODER
) -> IntentModel:
    """Load a model saved by ``save_model``; raise ArtefactError saying how to fix a bad folder.

    A model trained with embeddings loads without them (``encoder_factory=None``, the extra
    not installed, or its fine-tuned encoder missing) and then runs on its TF-IDF head alone,
    with ``degraded`` saying so. A factory given explicitly is used as it is.
    """
    document = _read_metadata(folder)
    for name, digest in _mapping(document.get("files")).items():
        if _sha256(_existing(folder / name)) != digest:
            raise ArtefactError(f"{folder / name} does not match its checksum; train again.")
    try:
        vocabulary = json.loads((folder / VOCABULARY).read_text("utf-8"))
        with np.load(folder / WEIGHTS, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
        model = _build(document, vocabulary, arrays)
    except (KeyError, TypeError, ValueError) as error:
        raise ArtefactError(f"{folder} is damaged ({error!r}); train again.") from error
    if model.embedding_scorer is not None:
        if isinstance(encoder_factory, str):  # OWN_ENCODER
            encoder_factory = _own_encoder(folder, document.get("encoder_folder"), model.info)
        _attach_encoder(model, encoder_factory)
    return model


def _own_encoder(
    folder: Path, encoder_folder: object, info: dict[str, object]
) -> EncoderFactory | None:
    """Return what loads the encoder the model was trained with; None if it is not there."""
    if "fine_tuning" not in info:
        return MiniLMEncoder
    if not isinstance(encoder_folder, str) or not (folder / encoder_folder).is_dir():
        return None
    return lambda: MiniLMEncoder(folder / encoder_folder)


def _read_metadata(folder: Path) -> dict[str, object]:
    path = _existing(folder / METADATA)
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ArtefactError(f"{path} is not readable JSON ({error}); train again.") from error
    if not isinstance(document, dict):
        raise ArtefactError(f"{path} is not a model description; train again.")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ArtefactError(
            f"{folder} holds a model in format {version}, this Tandem reads format "
            f"{FORMAT_VERSION}: train again with `tandem nlu train`."
        )
    return document


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise ArtefactError(
            f"No trained intent model at {path.parent} ({path.name} is missing): "
            "run `tandem nlu train --data FILE` first."
        )
    return path


def _build(
    document: dict[str, object],
    vocabulary: dict[str, list[str]],
    arrays: dict[str, NDArray[np.generic]],
) -> IntentModel:
    config = _mapping(document["feature_config"])
    feature_config = FeatureConfig(
        word_ngrams=_pair(config["word_ngrams"]), char_ngrams=_pair(config["char_ngrams"])
    )
    features = TextFeatures.restore(
        feature_config,
        vocabularies=(vocabulary["word"], vocabulary["char"]),
        idf=(arrays["word_idf"].astype(np.float64), arrays["char_idf"].astype(np.float64)),
    )
    blend = document.get("blend_calibration")
    embedding = None
    if "embedding_weights" in arrays:
        embedding = LinearScorer(
            weights=np.ascontiguousarray(arrays["embedding_weights"], dtype=np.float32),
            intercept=arrays["embedding_intercept"].astype(np.float32),
        )
    return IntentModel(
        labels=tuple(str(label) for label in _sequence(document["labels"])),
        oos_label=str(document["oos_label"]),
        features=features,
        text_scorer=LinearScorer(
            weights=np.ascontiguousarray(arrays["text_weights"], dtype=np.float32),
            intercept=arrays["text_intercept"].astype(np.float32),
        ),
        text_calibration=_calibration_from(_mapping(document["text_calibration"])),
        embedding_scorer=embedding,
        blend_calibration=None if blend is None else _calibration_from(_mapping(blend)),
        info=_public_info(document),
    )


def _attach_encoder(model: IntentModel, factory: EncoderFactory | None) -> None:
    if factory is None:
        model.degraded = "trained with embeddings, loaded without them"
        if "fine_tuning" in model.info:
            model.degraded += " (its fine-tuned encoder is not in the model folder)"
        return
    try:
        model.encoder = factory()
    except EncoderUnavailableError as error:
        model.degraded = f"trained with embeddings, running on TF-IDF alone: {error}"
        logger.warning("intent model degraded: %s", model.degraded)


def _public_info(document: dict[str, object]) -> dict[str, object]:
    keys = ("format_version", "tandem_version")
    return {key: document.get(key) for key in keys} | _mapping(document.get("training", {}))


def _calibration_json(calibration: Calibration) -> dict[str, object]:
    return {
        "head_temperatures": list(calibration.head_temperatures),
        "head_weights": list(calibration.head_weights),
        "temperature": calibration.temperature,
        "threshold": calibration.threshold,
        "rule": calibration.rule,
    }


def _calibration_from(data: dict[str, object]) -> Calibration:
    return Calibration(
        head_temperatures=tuple(float(_number(v)) for v in _sequence(data["head_temperatures"])),
        head_weights=tuple(float(_number(v)) for v in _sequence(data["head_weights"])),
        temperature=float(_number(data["temperature"])),
        threshold=float(_number(data["threshold"])),
        rule=str(data["rule"]),
    )


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, found {type(value).__name__}")
    return value


def _sequence(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, found {type(value).__name__}")
    return value


def _number(value: object) -> float:
    if not isinstance(value, int | float):
        raise TypeError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _pair(value: object) -> tuple[int, int]:
    low, high = (int(_number(v)) for v in _sequence(value))
    return low, high


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tandem_version() -> str:
    try:
        return package_metadata.version("tandem")
    except package_metadata.PackageNotFoundError:  # running from a source tree
        return "unknown"
