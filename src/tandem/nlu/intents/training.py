"""Train an intent model: hyper-parameters, calibration and out-of-scope threshold from the data.

Nothing is tuned by hand per company. Training splits the examples into stratified folds and
scores each example with models that never saw it ("out-of-fold", see ``search``). Those
held-out scores choose the regularisation (and n-gram ranges, when the grid offers several),
fit the temperatures that turn scores into probabilities, weigh the TF-IDF and embedding heads,
and set the out-of-scope threshold (see ``calibration``). The final heads are then fitted on
all examples.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeGuard

import numpy as np
import sklearn

from tandem.core.time import utc_now
from tandem.nlu.intents.calibration import (
    FloatArray,
    IntArray,
    Threshold,
    choose_threshold,
    fit_temperature,
    log_loss,
    softmax,
)
from tandem.nlu.intents.data import Dataset
from tandem.nlu.intents.encoders import (
    FineTunableEncoder,
    MiniLMEncoder,
    SentenceEncoder,
    encoder_available,
)
from tandem.nlu.intents.features import FeatureConfig, TextFeatures, prepare
from tandem.nlu.intents.finetune import FineTuneConfig, LabelledTexts
from tandem.nlu.intents.model import Calibration, IntentModel, LinearScorer
from tandem.nlu.intents.search import (
    Fold,
    Progress,
    accuracy,
    fit_linear,
    make_folds,
    search_text_head,
    search_vector_head,
)

Mode = Literal["auto", "light", "embeddings"]
DEFAULT_SEED = 13
LARGE_DATASET = 5_000  # examples from which cross-validation uses 3 folds instead of 5


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """The search space; the defaults are general, not fitted to any one dataset.

    One n-gram setting by default: on Tandem's data the alternatives scored within noise of
    it (about one point of accuracy) while each one doubled the training time. ``folds=None``
    picks 5 folds for small sets, where the fold models would otherwise be much less sure of
    themselves than the final model (skewing the calibration), and 3 for large ones, where
    each fit is costly and two thirds of the data already make a confident model.
    """

    seed: int = DEFAULT_SEED
    folds: int | None = None
    c_grid: tuple[float, ...] = (0.3, 1.0, 3.0)
    feature_grid: tuple[FeatureConfig, ...] = (FeatureConfig(),)
    embedding_c_grid: tuple[float, ...] = (0.3, 1.0, 3.0)
    blend_weights: tuple[float, ...] = tuple(round(0.1 * i, 1) for i in range(11))
    n_jobs: int = -1  # threads for cross-validation fits; -1 uses every core
    fine_tune: bool = True  # embeddings mode: train the encoder too, when it can be trained
    # ... and when there are this many examples per label on average. With fewer, the part
    # held out to calibrate the tuned encoder is too small to be trusted, and the frozen
    # encoder, cross-validated on every example, did as well (10 per label: 77.9% on a telco
    # test set frozen, 78.0% tuned on all examples, 76.9% tuned on the 8 left after holding out).
    fine_tune_min_per_label: int = 20
    fine_tune_config: FineTuneConfig = field(default_factory=FineTuneConfig)


def _silent(_: str) -> None:
    return None


def train(
    dataset: Dataset,
    *,
    config: TrainingConfig = TrainingConfig(),  # frozen: safe to share
    mode: Mode = "auto",
    encoder: SentenceEncoder | None = None,
    progress: Progress = _silent,
) -> IntentModel:
    """Train a model on a validated dataset; ``mode`` picks the heads (see ``resolve_encoder``).

    Precondition: the dataset passed ``data.check_trainable``.
    """
    started = time.perf_counter()
    encoder = resolve_encoder(mode, encoder)
    labels = tuple(sorted(set(dataset.labels)))
    gold = np.array([labels.index(label) for label in dataset.labels], dtype=np.int64)
    oos_index = labels.index(dataset.oos_label) if dataset.oos_label in labels else None
    texts = [prepare(text) for text in dataset.texts]
    n_folds = config.folds or (3 if len(texts) >= LARGE_DATASET else 5)
    folds = make_folds(gold, n_folds, config.seed)
    progress(
        f"{len(texts)} examples, {len(dataset.intents)} intents, {dataset.oos_count} "
        f"out-of-scope; {len(folds)}-fold cross-validation"
    )
    text_search = search_text_head(
        texts,
        gold,
        folds,
        feature_grid=config.feature_grid,
        c_grid=config.c_grid,
        seed=config.seed,
        n_jobs=config.n_jobs,
        progress=progress,
    )
    feature_config = text_search.features or FeatureConfig()
    text_temperature = fit_temperature(text_search.oof, gold)
    text_threshold = choose_threshold(softmax(text_search.oof / text_temperature), gold, oos_index)
    text_calibration = _calibration((text_temperature,), (1.0,), 1.0, text_threshold)
    info: dict[str, object] = {
        "features": feature_config.describe(),
        "c": text_search.c,
        "heldout_text": _figures(text_search.accuracy, text_threshold),
    }

    embedding_scorer = None
    blend_calibration = None
    if encoder is not None and _should_fine_tune(encoder, len(texts) / len(labels), config):
        encoder, embedding_scorer, blend_calibration, tuned_info = _fine_tuned_head(
            encoder,
            dataset.texts,
            gold,
            folds[0],
            text_search.oof,
            oos_index,
            labels,
            config,
            text_temperature=text_temperature,
            progress=progress,
        )
        info |= tuned_info
    elif encoder is not None:
        progress(f"embedding {len(texts)} examples with {encoder.name}")
        vectors = encoder.encode(dataset.texts)
        vector_search = search_vector_head(
            vectors,
            gold,
            folds,
            c_grid=config.embedding_c_grid,
            seed=config.seed,
            n_jobs=config.n_jobs,
            progress=progress,
        )
        blend_calibration, blend_info = _blend(
            (text_search.oof, vector_search.oof), gold, oos_index, text_temperature, config
        )
        info |= {"embedding_c": vector_search.c, **blend_info}
        progress("fitting the final embedding head on all examples")
        embedding_scorer = fit_linear(vectors, gold, vector_search.c, config.seed, len(labels))

    progress(f"fitting the final TF-IDF head on all examples ({feature_config.describe()})")
    features = TextFeatures.fit(texts, feature_config)
    text_scorer = fit_linear(
        features.transform(texts), gold, text_search.c, config.seed, len(labels)
    )
    calibration = blend_calibration or text_calibration
    info |= {
        "mode": "embeddings" if encoder is not None else "light",
        "encoder": encoder.name if encoder is not None else None,
        "seed": config.seed,
        "trained_at": utc_now().isoformat(timespec="seconds"),
        "data_sha256": dataset.fingerprint(),
        "examples": len(texts),
        "oos_examples": dataset.oos_count,
        "threshold": round(calibration.threshold, 4),
        "threshold_rule": calibration.rule,
        "training_seconds": round(time.perf_counter() - started, 2),
        "n_features": features.size,
        "sklearn_version": sklearn.__version__,
        "python_version": platform.python_version(),
    }
    progress(
        f"done in {info['training_seconds']} s; out-of-scope threshold "
        f"{calibration.threshold:.3f}: {calibration.rule}"
    )
    return IntentModel(
        labels=labels,
        oos_label=dataset.oos_label,
        features=features,
        text_scorer=text_scorer,
        text_calibration=text_calibration,
        embedding_scorer=embedding_scorer,
        blend_calibration=blend_calibration,
        encoder=encoder,
        info=info,
    )


def resolve_encoder(mode: Mode, encoder: SentenceEncoder | None) -> SentenceEncoder | None:
    """Return the encoder a mode uses: "light" none, "embeddings" one (or fail), "auto" if any."""
    if mode == "light":
        return None
    if encoder is not None:
        return encoder
    if mode == "embeddings" or encoder_available():
        return MiniLMEncoder()
    return None


def _should_fine_tune(
    encoder: SentenceEncoder, per_label: float, config: TrainingConfig
) -> TypeGuard[FineTunableEncoder]:
    return (
        config.fine_tune
        and isinstance(encoder, FineTunableEncoder)
        and per_label >= config.fine_tune_min_per_label
    )


def _fine_tuned_head(
    encoder: FineTunableEncoder,
    raw_texts: Sequence[str],
    gold: IntArray,
    split: Fold,
    text_oof: FloatArray,
    oos_index: int | None,
    labels: Sequence[str],
    config: TrainingConfig,
    *,
    text_temperature: float,
    progress: Progress,
) -> tuple[FineTunableEncoder, LinearScorer, Calibration, dict[str, object]]:
    """Fine-tune the encoder on one split's training part; calibrate on its held-out part.

    The held-out part (the first cross-validation fold) is unseen by the tuned encoder and
    its head, and by the TF-IDF models that scored it out of fold, so the blend weight, the
    temperature and the out-of-scope threshold are all chosen on messages no part of the
    model has learnt from. The final encoder keeps that part out of its training.
    """
    train_rows, heldout_rows = split
    tuned, head = encoder.fine_tuned(
        LabelledTexts([raw_texts[i] for i in train_rows], gold[train_rows]),
        LabelledTexts([raw_texts[i] for i in heldout_rows], gold[heldout_rows]),
        n_classes=len(labels),
        config=config.fine_tune_config,
        seed=config.seed,
        progress=progress,
    )
    scorer = LinearScorer(
        weights=np.ascontiguousarray(head.weights.T),
        intercept=np.zeros(len(labels), dtype=np.float32),
    )
    heldout_scores = scorer.scores(tuned.encode([raw_texts[i] for i in heldout_rows]))
    calibration, blend_info = _blend(
        (text_oof[heldout_rows], heldout_scores),
        gold[heldout_rows],
        oos_index,
        text_temperature,
        config,
    )
    info: dict[str, object] = {
        "fine_tuning": head.describe()
        | {
            "examples": len(train_rows),
            "heldout_examples": len(heldout_rows),
        },
        **blend_info,
    }
    return tuned, scorer, calibration, info


def _blend(
    oof: tuple[FloatArray, FloatArray],
    gold: IntArray,
    oos_index: int | None,
    text_temperature: float,
    config: TrainingConfig,
) -> tuple[Calibration, dict[str, object]]:
    """Weigh the two heads by held-out accuracy (log loss breaks ties), then calibrate."""
    text_oof, embedding_oof = oof
    embedding_temperature = fit_temperature(embedding_oof, gold)
    text_logits = text_oof / text_temperature
    embedding_logits = embedding_oof / embedding_temperature

    def blended(weight: float) -> FloatArray:
        result: FloatArray = weight * text_logits + (1 - weight) * embedding_logits
        return result

    def quality(weight: float) -> tuple[float, float]:
        logits = blended(weight)
        return accuracy(logits, gold), -log_loss(softmax(logits), gold)

    weight = max(config.blend_weights, key=quality)
    logits = blended(weight)
    temperature = fit_temperature(logits, gold)
    threshold = choose_threshold(softmax(logits / temperature), gold, oos_index)
    calibration = _calibration(
        (text_temperature, embedding_temperature), (weight, 1 - weight), temperature, threshold
    )
    info: dict[str, object] = {
        "text_weight": weight,
        "heldout_embeddings_accuracy": round(accuracy(embedding_oof, gold), 4),
        "heldout_blend": _figures(accuracy(logits, gold), threshold),
    }
    return calibration, info


def _calibration(
    temperatures: Sequence[float], weights: Sequence[float], temperature: float, t: Threshold
) -> Calibration:
    return Calibration(
        head_temperatures=tuple(temperatures),
        head_weights=tuple(weights),
        temperature=temperature,
        threshold=t.value,
        rule=t.rule,
    )


def _figures(top_accuracy: float, threshold: Threshold) -> dict[str, float | None]:
    recall = threshold.oos_recall
    return {
        "accuracy_without_rejection": round(top_accuracy, 4),
        "in_scope_accuracy": round(threshold.in_scope_accuracy, 4),
        "oos_recall": None if recall is None else round(recall, 4),
        "false_reject_rate": round(threshold.false_reject_rate, 4),
    }
