"""The company's trained intent model for actions, loaded once per process and reloaded when a
retrain replaces it on disk."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from tandem.nlu.intents.artefact import (
    METADATA,
    OWN_ENCODER,
    ArtefactError,
    EncoderFactory,
    OwnEncoder,
    load_model,
)
from tandem.nlu.intents.model import IntentModel

logger = logging.getLogger(__name__)

_loaded: dict[Path, tuple[tuple[int, int], IntentModel | None]] = {}
_loaded_lock = threading.Lock()
# What loads a model's sentence encoder in the background: by default the one it was trained
# with (its fine-tuned copy, or the packaged one); a test swaps in a stand-in.
encoder_factory: EncoderFactory | OwnEncoder | None = OWN_ENCODER


def _artefact_version(folder: Path) -> tuple[int, int]:
    try:
        stat = (folder / METADATA).stat()
    except OSError:
        return (-1, -1)
    return (stat.st_ino, stat.st_mtime_ns)  # a retrain renames a new folder in: a new inode


def intent_model(folder: Path) -> IntentModel | None:
    """Return the model in ``folder``, reloaded when a retrain replaces it (one stat a turn).

    While a model is being swapped in, or if the new one is damaged, the last good one serves.
    A model trained with embeddings serves at once on its TF-IDF head (loaded in
    milliseconds); its sentence encoder loads in a background thread (seconds: torch and the
    weights) and takes over when ready, if the ``embeddings`` extra is installed.
    """
    version = _artefact_version(folder)
    with _loaded_lock:
        cached = _loaded.get(folder)
    if cached is not None and cached[0] == version:
        return cached[1]
    try:
        model = load_model(folder, encoder_factory=None)
    except ArtefactError as error:
        logger.warning("no intent model for actions: %s", error)
        return cached[1] if cached is not None else None
    with _loaded_lock:
        _loaded[folder] = (version, model)
    if model.embedding_scorer is not None:
        threading.Thread(
            target=_load_encoder, args=(folder, version), name="intent-encoder", daemon=True
        ).start()
    return model


def _load_encoder(folder: Path, version: tuple[int, int]) -> None:
    try:
        model = load_model(folder, encoder_factory=encoder_factory)
    except Exception:  # torch and the weights are third-party: the TF-IDF head keeps serving
        logger.exception("the intent model's sentence encoder did not load")
        return
    if model.mode != "embeddings":
        return  # the extra is not installed here: the TF-IDF head keeps serving
    with _loaded_lock:
        current = _loaded.get(folder)
        if current is not None and current[0] == version:  # not replaced meanwhile
            _loaded[folder] = (version, model)
