"""Internal notes: the team reads them, the customer never does, and @name reaches a colleague."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role, User
from tandem.core.errors import InvalidInputError
from tandem.routing import notes
from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document


def user(name: str, email: str) -> User:
    return User(name=name, email=email, role=Role.AGENT, password_hash="-")


ANA = user("Ana Costa", "ana@example.com")
ANDRE = user("André Silva", "asilva@example.com")
ANA_B = user("Ana Berg", "aberg@example.com")


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@ana can you check?", ["ana"]),
        ("ask @Ana. then @ben, and @ana again", ["ana", "ben"]),
        ("mail ana@example.com about it", []),  # an address is not a mention
        ("for @andré-silva: refund sent", ["andré-silva"]),
        ("order @1234 is late", []),
    ],
)
def test_a_note_mentions_handles_not_addresses(text: str, handles: list[str]) -> None:
    assert notes.mentioned_handles(text) == handles


def test_a_handle_is_a_first_name_a_whole_name_or_an_email_name() -> None:
    staff = [ANA, ANDRE]
    assert notes.resolve(["ana"], staff) == [ANA]
    assert notes.resolve(["anacosta", "asilva"], staff) == [ANA, ANDRE]


def test_a_handle_that_names_no_one_or_several_is_refused_with_the_ones_that_work() -> None:
    with pytest.raises(InvalidInputError, match=r"@bob.*mention one of: @ana, @andré"):
        notes.resolve(["bob"], [ANA, ANDRE])
    with pytest.raises(InvalidInputError, match="several people"):
        notes.resolve(["ana"], [ANA, ANA_B])


@pytest.fixture(autouse=True)
async def knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))


async def test_a_note_reaches_the_colleague_it_mentions_and_never_the_customer(
    client: httpx.AsyncClient,
    other_client: httpx.AsyncClient,
    session: AsyncSession,
) -> None:
    writer = await log_in_agent(client, session)
    reader = await log_in_agent(other_client, session)
    chat = await start_chat(client)
    await chat.say("I want to talk to a person about my refund")
    handle = reader.user.email.split("@")[0]

    response = await writer.post(
        f"/conversations/{chat.id}/notes", {"text": f"@{handle} she was promised a refund by mail"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["mentions"] == [reader.user.name]
    assert response.json()["author_name"] == writer.user.name

    listed = (await client.get(f"/api/v1/agent/conversations/{chat.id}/notes")).json()
    assert [n["text"] for n in listed] == [f"@{handle} she was promised a refund by mail"]
    assert all("promised" not in m["text"] for m in await chat.messages())

    queue = (await other_client.get("/console", headers={"accept": "text/html"})).text
    assert "Notes for you (1)" in queue
    assert "promised a refund" in queue
    page = await other_client.get(f"/console/conversations/{chat.id}")
    assert "promised a refund" in page.text
    seen = f"/console/conversations/{chat.id}/notes/seen"
    assert seen in page.text  # the page says, once loaded, that the mentions were seen
    assert (await other_client.post(seen, headers=reader.headers)).status_code == 204
    queue = (await other_client.get("/console", headers={"accept": "text/html"})).text
    assert "Notes for you" not in queue  # read once the conversation was opened


async def test_a_note_naming_no_one_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    writer = await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("a person please")

    response = await writer.post(f"/conversations/{chat.id}/notes", {"text": "@nobody look"})
    assert response.status_code == 422
    assert "nobody" in response.json()["detail"]
    assert (await client.get(f"/api/v1/agent/conversations/{chat.id}/notes")).json() == []
