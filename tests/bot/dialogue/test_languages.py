"""The bot speaks the customer's language: small talk, an action's questions, buttons, results."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from tandem.bot import messages
from tandem.bot.actions.spec import Action, in_language, load_action
from tandem.config import Settings
from tandem.core import i18n
from tandem.demo import ACTIONS_DIR
from tests.bot.dialogue.test_dialogue import SAM, asked_to_confirm, bot_says, order_status
from tests.channels.helpers import start_chat
from tests.conftest import Database, settings_for


@pytest.fixture
def actions_dir(tmp_path: Path) -> Path:
    """The demo's actions; the cancellation also starts on a German phrase, as a company
    serving German customers would configure it (or its intent model would read it)."""
    folder = tmp_path / "actions"
    shutil.copytree(ACTIONS_DIR, folder)
    path = folder / "cancel_order.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["patterns"].append(r"\bstornieren\b")
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture
def settings(database: Database, backend_url: str, actions_dir: Path) -> Settings:
    return settings_for(database.url, actions_dir=actions_dir, actions_base_url=backend_url)


@pytest.fixture
def cancel(actions_dir: Path) -> Action:
    return load_action(actions_dir / "cancel_order.yaml")


def german(text: object) -> str:
    assert isinstance(text, str | dict)
    said = in_language(text, "de")
    assert said != in_language(text, "en"), "the demo's action must have a German text"
    return said


async def test_an_action_asks_confirms_and_answers_in_the_customers_language(
    client: httpx.AsyncClient, backend_url: str, cancel: Action
) -> None:
    chat = await start_chat(client)
    asked = await bot_says(chat, "Guten Tag, ich möchte meine Bestellung 1042 stornieren.")
    assert asked["kind"] == "action_ask"
    assert asked["text"] == german(cancel.slots["email"].prompt)
    question = await bot_says(chat, SAM)  # an address says nothing of a language
    assert question["kind"] == "action_confirm"
    assert isinstance(cancel.confirm, dict)
    assert question["text"] == german(cancel.confirm).replace("{{ order_number }}", "1042")
    assert question["quick_replies"] == list(messages.confirm_choices("de"))
    assert question["quick_replies"] != ["Yes", "No"]
    done = await bot_says(chat, question["quick_replies"][0])  # the German yes runs it
    assert done["kind"] == "action_result"
    assert done["text"].startswith(german(cancel.replies["cancelled"].reply).split("{{")[0])
    assert await order_status(backend_url, "1042") == "cancelled"


async def test_saying_no_is_answered_in_the_customers_language(
    client: httpx.AsyncClient, backend_url: str, cancel: Action
) -> None:
    chat = await start_chat(client)
    question = await asked_to_confirm(chat, "Hallo, ich will die Bestellung 1042 stornieren")
    stopped = await bot_says(chat, question["quick_replies"][1])
    label = german(cancel.label)
    assert stopped["text"] == messages.action_stopped(label, "de")
    assert await order_status(backend_url, "1042") == "processing"


@pytest.mark.parametrize(
    ("language", "question", "thanks"),
    [
        ("de", "Liefert ihr auch nach Österreich?", "Danke schön!"),
        ("es", "¿Hacéis envíos a Portugal?", "¡Muchas gracias!"),
        ("fr", "Est-ce que vous livrez en Belgique ?", "Merci beaucoup !"),
    ],
)
async def test_thanks_are_answered_in_the_language_of_the_conversation(
    client: httpx.AsyncClient, language: str, question: str, thanks: str
) -> None:
    chat = await start_chat(client)
    await bot_says(chat, question)
    reply = await bot_says(chat, thanks)
    assert reply["text"] == i18n.text("small_talk_thanks", language)
    assert reply["text"] != i18n.text("small_talk_thanks", "en")
