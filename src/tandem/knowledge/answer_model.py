"""The answer model: how likely a passage answers a question, from retrieval evidence.

Similarity is not an answer: a question about garden sheds is similar to an article about
bikes that mentions what the shop sells. The model weighs the evidence the index gathers for
each passage (lexical and dense similarity at passage, article and title level, how much of
the question the article covers, how the passage ranks) and returns a calibrated probability
that the passage's article answers the question. With a pair of encoders (E5 with USE beside
it), the second one's similarities are evidence of their own. It is a logistic regression trained by
``tandem kb train-answers`` on labelled questions of invented help centres that ship with
Tandem (``knowledge/corpus/``); the weights are a small JSON file (no pickle).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tandem.core.logistic import LogisticWeights, WeightsError
from tandem.core.sealed import SealBrokenError, read_sealed, write_sealed

MODEL_PATH = Path(__file__).parent / "models" / "answers.json"

# The evidence per passage, in the order of the feature matrix's columns. A "_gap" is the
# distance to the best passage's value for the same question, a "_best" says whether the
# passage holds it: how a passage compares with the rest carries over between knowledge bases.
LEXICAL_FEATURES: tuple[str, ...] = (
    "passage_tfidf",
    "article_tfidf",
    "title_tfidf",
    "lexical_relative",
    "bm25_relative",
    "coverage",
    "unknown_share",
    "lexical_top",
    "question_words",
    "passage_tfidf_gap",
    "passage_tfidf_best",
    "article_tfidf_gap",
    "article_tfidf_best",
    "title_tfidf_gap",
    "title_tfidf_best",
    "coverage_gap",
    "coverage_best",
)
DENSE_FEATURES: tuple[str, ...] = (
    "passage_dense",
    "title_dense",
    "article_dense",
    "dense_gap",
    "dense_top",
    "foreign",
    "foreign_passage_dense",
    "foreign_title_dense",
    "title_dense_gap",
    "title_dense_best",
    "article_dense_gap",
    "article_dense_best",
    "title_echo",
)
# From the second encoder of a pair (USE beside E5): zeros when the index reads through one.
COMPANION_FEATURES: tuple[str, ...] = (
    "companion_passage",
    "companion_title",
    "companion_article",
    "companion_passage_gap",
    "companion_passage_best",
    "companion_title_gap",
    "companion_title_best",
)
FEATURES = LEXICAL_FEATURES + DENSE_FEATURES + COMPANION_FEATURES


class AnswerModelError(ValueError):
    """The answer model file is missing or damaged."""


@dataclass(frozen=True, slots=True)
class AnswerModel:
    """Weights with the encoder's evidence, and weights for a lexical-only index."""

    dense: LogisticWeights
    lexical: LogisticWeights
    trained_on: str
    # The sentence encoder whose similarities the dense weights were fitted on: an index must
    # read through the same one (another encoder's cosines live on another scale).
    encoder: str

    def probability(self, matrix: NDArray[np.float32], *, dense: bool) -> NDArray[np.float32]:
        weights = self.dense if dense else self.lexical
        return weights.probability(matrix[:, : len(weights.features)])


def save(model: AnswerModel, path: Path = MODEL_PATH) -> str:
    """Write the model as JSON with its checksum; return the checksum."""
    body = {
        "dense": model.dense.as_json(),
        "lexical": model.lexical.as_json(),
        "trained_on": model.trained_on,
        "encoder": model.encoder,
    }
    return write_sealed(path, body, indent=1, newline=False)


def read(path: Path) -> AnswerModel:
    """Read a model written by :func:`save`; refuse one whose checksum does not match."""
    rebuild = "Rebuild it with `tandem kb train-answers`."
    try:
        body = read_sealed(path, indent=1)
    except SealBrokenError as error:
        raise AnswerModelError(
            f"The answer model {path} does not match its checksum. {rebuild}"
        ) from error
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AnswerModelError(
            f"Cannot read the answer model {path} ({error}). {rebuild}"
        ) from error
    try:
        dense = LogisticWeights.from_json(body["dense"])
        lexical = LogisticWeights.from_json(body["lexical"])
    except (WeightsError, KeyError, TypeError) as error:
        raise AnswerModelError(
            f"The answer model {path} is damaged ({error}). "
            "Rebuild it with `tandem kb train-answers`."
        ) from error
    # A model from before the companion evidence reads the columns it knows (they come first).
    known = dense.features in (FEATURES, LEXICAL_FEATURES + DENSE_FEATURES)
    if not known or lexical.features != LEXICAL_FEATURES:
        raise AnswerModelError(
            f"The answer model {path} was trained on other evidence than this version "
            "gathers. Rebuild it with `tandem kb train-answers`."
        )
    if not isinstance(body.get("encoder"), str):
        raise AnswerModelError(
            f"The answer model {path} does not say which encoder it was trained with. "
            "Rebuild it with `tandem kb train-answers`."
        )
    return AnswerModel(
        dense=dense,
        lexical=lexical,
        trained_on=str(body.get("trained_on", "")),
        encoder=body["encoder"],
    )


@lru_cache(maxsize=1)
def load_answer_model() -> AnswerModel:
    """Return the shipped answer model (read once per process)."""
    return read(MODEL_PATH)
