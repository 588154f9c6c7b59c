"""Logistic-regression weights kept as plain JSON (no pickle): standardise each feature, then a
linear score through the logistic function. The answer model and the password model use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray


class WeightsError(ValueError):
    """The weights do not fit together (arrays of another length than the features)."""


@dataclass(frozen=True, slots=True)
class LogisticWeights:
    """Standardise, then a linear score through the logistic function."""

    features: tuple[str, ...]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coefficients: NDArray[np.float64]
    intercept: float

    def probability(self, matrix: NDArray[Any]) -> NDArray[np.float32]:
        z = ((matrix - self.mean) / self.scale) @ self.coefficients + self.intercept
        result: NDArray[np.float32] = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return result

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coefficients": self.coefficients.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogisticWeights:
        features = tuple(str(f) for f in data["features"])
        mean, scale, coefficients = (
            np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coefficients")
        )
        if any(a.shape != (len(features),) for a in (mean, scale, coefficients)):
            raise WeightsError("the arrays of the weights do not match their features")
        return cls(features, mean, scale, coefficients, float(data["intercept"]))
