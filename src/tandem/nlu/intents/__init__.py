"""Intents a company trains from its own labelled examples, with out-of-scope detection.

Train with ``training.train`` (or ``tandem nlu train``), save and load with ``artefact``, then
``IntentModel.predict(text)`` returns an ``IntentPrediction``.
"""

from tandem.nlu.intents.artefact import ArtefactError, load_model, save_model
from tandem.nlu.intents.data import DataError, Dataset, Example, load_examples
from tandem.nlu.intents.model import IntentModel, IntentPrediction
from tandem.nlu.intents.training import TrainingConfig, train

__all__ = [
    "ArtefactError",
    "DataError",
    "Dataset",
    "Example",
    "IntentModel",
    "IntentPrediction",
    "TrainingConfig",
    "load_examples",
    "load_model",
    "save_model",
    "train",
]
