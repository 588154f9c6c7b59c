"""The ceiling for benchmarks/load.py: the same stack doing the least a customer message needs.

`uvicorn bare_stack:create --factory` serves two endpoints on Tandem's database and notifier
(read from TANDEM_DATABASE_URL and TANDEM_REDIS_URL): POST /bare starts a conversation, and
POST /bare/{id} stores a customer message in it and publishes the wake-up, in one transaction,
as a bot turn does before any reading, deciding or answering.
"""

from __future__ import annotations

import os
import uuid

from fastapi import FastAPI
from pydantic import BaseModel

import tandem.app  # noqa: F401 - registers every table, as the server does
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.events import set_notifier
from tandem.core.redis_notifier import RedisNotifier


class Said(BaseModel):
    text: str


def create() -> FastAPI:
    engine = create_engine(os.environ["TANDEM_DATABASE_URL"])
    factory = create_sessionmaker(engine)
    if os.environ.get("TANDEM_REDIS_URL"):
        set_notifier(RedisNotifier(os.environ["TANDEM_REDIS_URL"]))
    app = FastAPI()

    @app.post("/bare")
    async def start() -> dict[str, str]:
        async with transaction(factory) as session:
            conversation, _customer, _token = await conversation_service.start_conversation(
                session, identity=None, identity_secret=None
            )
        return {"id": conversation.id}

    @app.post("/bare/{conversation_id}")
    async def say(conversation_id: str, said: Said) -> dict[str, int]:
        async with transaction(factory) as session:
            conversation = await conversation_service.get_conversation(session, conversation_id)
            appended = await conversation_service.append_message(
                session,
                conversation,
                author=Author.CUSTOMER,
                text=said.text,
                client_msg_id=uuid.uuid4().hex,
            )
        return {"seq": appended.message.seq}

    return app
