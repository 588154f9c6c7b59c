"""With a trained intent model, actions also start from wordings no pattern lists."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tandem.config import Settings
from tandem.demo import ACTIONS_DIR
from tandem.nlu.intents.artefact import save_model
from tandem.nlu.intents.data import load_examples
from tandem.nlu.intents.training import train
from tests.channels.helpers import start_chat
from tests.conftest import Database, settings_for

DEMO_TRAINING = Path(__file__).parents[3] / "src/tandem/demo/nlu/train.csv"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    save_model(train(load_examples(DEMO_TRAINING), mode="light"), folder / "intents")
    return folder


@pytest.fixture
def settings(database: Database, backend_url: str, model_dir: Path) -> Settings:
    return settings_for(
        database.url, actions_dir=ACTIONS_DIR, actions_base_url=backend_url, model_dir=model_dir
    )


async def test_the_intent_model_starts_an_action(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await chat.say("has my stuff shipped yet")
    asked = await chat.last_bot_or_system()
    assert asked["kind"] == "action_ask"
    assert "order number" in asked["text"]
    await chat.say("1043")
    await chat.say("sam.taylor@example.com")
    assert "is dispatched with DPD" in (await chat.last_bot_or_system())["text"]
