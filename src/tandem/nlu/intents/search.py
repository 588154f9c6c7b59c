"""Cross-validated search: held-out scores of a linear head for every setting, fitted in parallel.

Each example is scored by a model fitted on the other folds, so the scores show how the head
does on messages it never saw. The setting with the best held-out accuracy wins; its held-out
scores then serve calibration. Fits run on threads: liblinear releases the GIL, and threads
share the feature matrices instead of copying them to worker processes.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from tandem.nlu.intents.calibration import FloatArray, IntArray
from tandem.nlu.intents.features import FeatureConfig, TextFeatures
from tandem.nlu.intents.model import LinearScorer

Progress = Callable[[str], None]
Fold = tuple[IntArray, IntArray]
Matrix: TypeAlias = "sp.csr_matrix | NDArray[np.float32]"
_MAX_ITER = 2000
_UNSEEN_CLASS_SCORE = -1e3  # a class absent from a fold's training part is never predicted


@dataclass(frozen=True, slots=True)
class Search:
    """The winning setting of a head and its held-out scores."""

    oof: FloatArray
    c: float
    features: FeatureConfig | None
    accuracy: float


def make_folds(gold: IntArray, n_folds: int, seed: int) -> list[Fold]:
    """Return stratified folds; fewer than asked when the rarest class has fewer examples."""
    smallest = int(np.bincount(gold).min())
    splitter = StratifiedKFold(
        n_splits=max(2, min(n_folds, smallest)), shuffle=True, random_state=seed
    )
    return [(train, test) for train, test in splitter.split(np.zeros(len(gold)), gold)]


def fit_linear(
    features: Matrix, gold: IntArray, c: float, seed: int, n_classes: int
) -> LinearScorer:
    """Fit a one-vs-rest linear SVM and return its scores as a plain linear scorer."""
    model = LinearSVC(C=c, random_state=seed, dual=True, max_iter=_MAX_ITER)
    with warnings.catch_warnings():
        # Stopping a hair short of the optimum changes no prediction that matters here, and
        # the held-out scores measure these very models, converged or not.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(features, gold)
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:  # two classes: sklearn keeps one row, scoring the second class
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    full_coef = np.zeros((n_classes, coef.shape[1]), dtype=np.float32)
    full_intercept = np.full(n_classes, _UNSEEN_CLASS_SCORE, dtype=np.float32)
    full_coef[model.classes_] = coef
    full_intercept[model.classes_] = intercept
    return LinearScorer(weights=np.ascontiguousarray(full_coef.T), intercept=full_intercept)


def search_text_head(
    texts: Sequence[str],
    gold: IntArray,
    folds: Sequence[Fold],
    *,
    feature_grid: Sequence[FeatureConfig],
    c_grid: Sequence[float],
    seed: int,
    n_jobs: int,
    progress: Progress,
) -> Search:
    """Search n-gram ranges and C for the TF-IDF head; features are refitted on each fold."""
    matrices: dict[Hashable, list[tuple[Matrix, Matrix]]] = {}
    for config in feature_grid:
        progress(f"TF-IDF head: building features ({config.describe()}) for {len(folds)} folds")
        matrices[config] = [_fold_features(texts, fold, config) for fold in folds]
    (key, c), oof, accuracy = _cross_validate(
        matrices, gold, folds, c_grid, seed=seed, n_jobs=n_jobs, progress=progress
    )
    config = next(config for config in feature_grid if config == key)
    progress(f"TF-IDF head: {config.describe()}, C={c} (held-out accuracy {accuracy:.3f})")
    return Search(oof=oof, c=c, features=config, accuracy=accuracy)


def search_vector_head(
    vectors: NDArray[np.float32],
    gold: IntArray,
    folds: Sequence[Fold],
    *,
    c_grid: Sequence[float],
    seed: int,
    n_jobs: int,
    progress: Progress,
) -> Search:
    """Search C for a head over fixed vectors (sentence embeddings)."""
    matrices: dict[Hashable, list[tuple[Matrix, Matrix]]] = {
        "vectors": [(vectors[train], vectors[test]) for train, test in folds]
    }
    (_, c), oof, accuracy = _cross_validate(
        matrices, gold, folds, c_grid, seed=seed, n_jobs=n_jobs, progress=progress
    )
    progress(f"embedding head: C={c} (held-out accuracy {accuracy:.3f})")
    return Search(oof=oof, c=c, features=None, accuracy=accuracy)


def accuracy(scores: FloatArray, gold: IntArray) -> float:
    return float((scores.argmax(axis=1) == gold).mean())


def _fold_features(
    texts: Sequence[str], fold: Fold, config: FeatureConfig
) -> tuple[Matrix, Matrix]:
    train, test = fold
    features = TextFeatures.fit([texts[i] for i in train], config)
    return features.transform([texts[i] for i in train]), features.transform(
        [texts[i] for i in test]
    )


def _cross_validate(
    matrices: dict[Hashable, list[tuple[Matrix, Matrix]]],
    gold: IntArray,
    folds: Sequence[Fold],
    c_grid: Sequence[float],
    *,
    seed: int,
    n_jobs: int,
    progress: Progress,
) -> tuple[tuple[Hashable, float], FloatArray, float]:
    n_classes = int(gold.max()) + 1
    settings = [(key, c) for key in matrices for c in c_grid]  # grid order breaks ties
    jobs = [(setting, index) for setting in settings for index in range(len(folds))]

    def run(setting: tuple[Hashable, float], index: int) -> FloatArray:
        (key, c), (train, _) = setting, folds[index]
        x_train, x_test = matrices[key][index]
        return fit_linear(x_train, gold[train], c, seed, n_classes).scores(x_test)

    oof = {setting: np.zeros((len(gold), n_classes)) for setting in settings}
    workers = (os.cpu_count() or 1) if n_jobs < 1 else n_jobs
    step = max(1, len(jobs) // 5)
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        results = pool.map(lambda job: run(*job), jobs)  # in job order, as they finish
        for done, ((setting, index), scores) in enumerate(zip(jobs, results, strict=True), 1):
            oof[setting][folds[index][1]] = scores
            if done % step == 0 or done == len(jobs):
                progress(f"  {done}/{len(jobs)} cross-validation fits")
    best = max(settings, key=lambda setting: accuracy(oof[setting], gold))
    return best, oof[best], accuracy(oof[best], gold)
