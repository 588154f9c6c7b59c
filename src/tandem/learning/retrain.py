"""Retrain the intent model on its base file plus the approved examples, without a restart.

The new artefact is written next to the live one and renamed into place, so the bot (which
reloads when the artefact changes) never reads a half-written model.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.core.db import transaction
from tandem.learning import repository
from tandem.nlu.intents.artefact import METADATA, save_model
from tandem.nlu.intents.data import (
    MIN_EXAMPLES_PER_INTENT,
    DataError,
    Dataset,
    Example,
    check_trainable,
    load_examples,
)
from tandem.nlu.intents.training import Mode, TrainingConfig, train

logger = logging.getLogger(__name__)
INTENTS_FOLDER = "intents"


@dataclass(frozen=True, slots=True)
class IntentTraining:
    """Where the live intent model is and the base file it was trained on."""

    folder: Path
    base: Path
    mode: Mode = "auto"
    config: TrainingConfig = field(default_factory=TrainingConfig)


def intent_training(model_dir: Path, base: Path | None) -> IntentTraining | None:
    """Return the retraining setup, or None unless a model exists and a base file is set."""
    folder = model_dir / INTENTS_FOLDER
    if base is None or not (folder / METADATA).is_file():
        return None
    try:
        document = json.loads((folder / METADATA).read_text("utf-8"))
        light = document["training"]["mode"] == "light"
        # Retraining keeps the live model's costs: a model trained without fine-tuning its
        # encoder (skipped, or too few examples then) is retrained in seconds, not minutes.
        tuned = "fine_tuning" in document["training"]
    except (OSError, ValueError, KeyError, TypeError):
        light = tuned = False  # a damaged artefact: "auto" trains whatever this install can
    return IntentTraining(
        folder=folder,
        base=base,
        mode="light" if light else "auto",
        config=TrainingConfig(fine_tune=tuned),
    )


@dataclass(frozen=True, slots=True)
class Retrained:
    folder: Path
    examples: int  # approved examples trained on
    skipped: tuple[str, ...]  # new intents with too few examples to learn yet


def combine(base: Dataset, approved: Sequence[tuple[str, str]]) -> tuple[Dataset, list[str]]:
    """Add approved (text, intent) pairs to ``base``; a new intent needs enough examples."""
    counts = Counter(intent for _, intent in approved)
    known = set(base.intents) | {base.oos_label}
    skipped = sorted(i for i, n in counts.items() if i not in known and n < MIN_EXAMPLES_PER_INTENT)
    start = len(base.examples) + 2
    extra = [
        Example(text, intent, start + n)
        for n, (text, intent) in enumerate(approved)
        if intent not in skipped
    ]
    return Dataset((*base.examples, *extra), base.oos_label), skipped


def retrain_now(setup: IntentTraining, approved: Sequence[tuple[str, str]]) -> Retrained:
    """Train on the base file plus ``approved`` and swap the new artefact in (blocking).

    Raises DataError when the combined set cannot be trained on; the live model stays.
    """
    dataset, skipped = combine(load_examples(setup.base), approved)
    problems = check_trainable(dataset)
    if problems:
        raise DataError(setup.base, problems)
    model = train(dataset, config=setup.config, mode=setup.mode)
    staging = setup.folder.with_name(f".{setup.folder.name}-{uuid.uuid4().hex}")
    retired = staging.with_name(f"{staging.name}-old")
    save_model(model, staging)
    # Two renames: the folder is briefly absent, when the bot keeps its last loaded model.
    setup.folder.rename(retired)
    staging.rename(setup.folder)
    shutil.rmtree(retired, ignore_errors=True)
    used = sum(intent not in skipped for _, intent in approved)
    return Retrained(setup.folder, used, tuple(skipped))


async def approved_examples(session: AsyncSession) -> list[tuple[str, str]]:
    return [(row.text, row.intent) for row in await repository.list_training_examples(session)]


async def retrain_intents(session: AsyncSession, setup: IntentTraining) -> Retrained:
    """Retrain on the base file plus every approved example stored in the database."""
    return await asyncio.to_thread(retrain_now, setup, await approved_examples(session))


async def retrain_job(
    factory: async_sessionmaker[AsyncSession], setup: IntentTraining
) -> Retrained | None:
    """Retrain on every approved example; the job runner calls it after an approval.

    Training data that cannot be trained on is logged and the live model stays (retrying
    would not help); a file-system error propagates so the job is retried.
    """
    async with transaction(factory, write=False) as session:
        approved = await approved_examples(session)
    try:
        result = await asyncio.to_thread(retrain_now, setup, approved)
    except DataError as error:
        logger.error("intent retraining failed, the previous model stays: %s", error)
        return None
    logger.info("retrained the intent model with %d approved examples", result.examples)
    return result
