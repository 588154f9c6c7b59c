"""The demo shop's intent model: trained from its labelled examples when the demo starts."""

from __future__ import annotations

import time
from pathlib import Path

from tandem.demo import INTENT_EXAMPLES
from tandem.learning.retrain import INTENTS_FOLDER
from tandem.nlu.intents.artefact import METADATA, save_model
from tandem.nlu.intents.data import load_examples
from tandem.nlu.intents.training import train


def ensure_intent_model(model_dir: Path) -> str:
    """Train and save the light model unless one is there; return a line saying which.

    Light mode trains in a second or two. The stronger embeddings mode takes minutes, so the
    demo leaves it to `tandem nlu train --mode embeddings`, whose model it then keeps.
    """
    folder = model_dir / INTENTS_FOLDER
    if (folder / METADATA).is_file():
        return f"intents: kept the trained model in {folder}"
    started = time.perf_counter()
    dataset = load_examples(INTENT_EXAMPLES)
    model = train(dataset, mode="light")
    save_model(model, folder)
    return (
        f"intents: trained the light model on {len(dataset.examples)} examples in "
        f"{time.perf_counter() - started:.1f} s ({folder})"
    )
