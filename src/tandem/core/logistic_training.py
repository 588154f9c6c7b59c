"""Fitting ``LogisticWeights`` with scikit-learn (training only; serving reads the JSON)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from tandem.core.logistic import LogisticWeights


def fit_balanced(
    rows: NDArray[np.float64], labels: NDArray[np.bool_], features: tuple[str, ...], *, c: float
) -> LogisticWeights:
    """Standardise each column, then fit an L2 logistic regression with balanced classes."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit((rows - mean) / scale, labels)
    return LogisticWeights(features, mean, scale, model.coef_[0], float(model.intercept_[0]))
