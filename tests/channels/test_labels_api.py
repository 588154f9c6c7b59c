"""Labels over HTTP: the agent API, the console's labels panel and the queue's label filter."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
async def knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))


async def _waiting(client: httpx.AsyncClient, about: str) -> Chat:
    chat = await start_chat(client)
    await chat.say(f"I want to talk to a person about {about}")
    return chat


def _labels_url(chat: Chat, label: str | None = None) -> str:
    url = f"/api/v1/agent/conversations/{chat.id}/labels"
    return f"{url}/{quote(label)}" if label else url


async def test_an_agent_labels_a_conversation_through_the_api(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _waiting(client, "my refund")

    added = await agent.post(f"/conversations/{chat.id}/labels", {"label": "Refund Request"})
    assert added.status_code == 201, added.text
    assert added.json() == {"conversation_id": chat.id, "labels": ["refund-request"]}
    again = await agent.post(f"/conversations/{chat.id}/labels", {"label": "refund-request"})
    assert again.status_code == 200  # already there: nothing changes
    await agent.post(f"/conversations/{chat.id}/labels", {"label": "VIP"})
    listed = await client.get(_labels_url(chat))
    assert listed.json()["labels"] == ["refund-request", "vip"]

    removed = await client.delete(_labels_url(chat, "Refund Request"), headers=agent.headers)
    assert removed.status_code == 200, removed.text
    assert removed.json()["labels"] == ["vip"]
    absent = await client.delete(_labels_url(chat, "refund-request"), headers=agent.headers)
    assert (absent.status_code, absent.json()["labels"]) == (200, ["vip"])
    assert all("vip" not in item.get("text", "") for item in await chat.timeline())


async def test_a_label_in_any_script_travels_in_the_path(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _waiting(client, "a return")
    await agent.post(f"/conversations/{chat.id}/labels", {"label": "Devolução"})
    removed = await client.delete(_labels_url(chat, "devolução"), headers=agent.headers)
    assert removed.json()["labels"] == []


@pytest.mark.parametrize(
    ("label", "says"),
    [("refund?", "remove ?"), ("x" * 41, "at most 40"), ("  ", "Write a label")],
)
async def test_a_label_that_cannot_be_one_is_a_422_saying_why(
    client: httpx.AsyncClient, session: AsyncSession, label: str, says: str
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _waiting(client, "my order")
    response = await agent.post(f"/conversations/{chat.id}/labels", {"label": label})
    assert response.status_code == 422
    assert says in response.json()["detail"]
    assert (await client.get(_labels_url(chat))).json()["labels"] == []


async def test_an_unknown_conversation_has_no_labels_to_read_or_change(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    missing = "00000000-0000-0000-0000-000000000000"
    assert (await client.get(f"/api/v1/agent/conversations/{missing}/labels")).status_code == 404
    posted = await agent.post(f"/conversations/{missing}/labels", {"label": "vip"})
    assert posted.status_code == 404


async def _console_add(agent: AgentClient, chat: Chat, label: str) -> httpx.Response:
    return await agent.client.post(
        f"/console/conversations/{chat.id}/labels",
        data={"label": label},
        headers={**agent.headers, **HTMX},
    )


async def test_the_console_panel_adds_and_removes_labels_as_chips(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _waiting(client, "a damaged lamp")
    page = await client.get(f"/console/conversations/{chat.id}")
    assert "No labels yet." in page.text

    panel = await _console_add(agent, chat, "Damaged Item")
    assert panel.status_code == 200, panel.text
    assert 'data-label="damaged-item"' in panel.text
    assert 'aria-label="Remove label damaged-item"' in panel.text
    await _console_add(agent, chat, "vip")
    removed = await client.post(
        f"/console/conversations/{chat.id}/labels/damaged-item/delete",
        headers={**agent.headers, **HTMX},
    )
    assert 'data-label="vip"' in removed.text
    assert 'data-label="damaged-item"' not in removed.text
    # Labels in use elsewhere are offered while typing; those already on it are not.
    other = await _waiting(client, "a late parcel")
    suggestions = (await client.get(f"/console/conversations/{other.id}")).text
    assert '<option value="vip">' in suggestions


async def test_a_bad_label_in_the_console_says_why_in_the_flash_area(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _waiting(client, "my refund")
    response = await _console_add(agent, chat, "refund!!")
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#flash"
    assert "remove !" in response.text


async def test_the_queue_shows_labels_and_filters_by_one(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    refund = await _waiting(client, "my refund")
    parcel = await _waiting(client, "a late parcel")
    await _console_add(agent, refund, "refund")
    await _console_add(agent, parcel, "late-delivery")

    everything = (await client.get("/console/queue")).text
    assert f'data-conversation="{refund.id}"' in everything
    assert f'data-conversation="{parcel.id}"' in everything
    assert '<li class="label-chip">late-delivery</li>' in everything

    page = (await client.get("/console?label=Refund", headers={"accept": "text/html"})).text
    assert f'data-conversation="{refund.id}"' in page
    assert f'data-conversation="{parcel.id}"' not in page
    assert "Showing only conversations labelled <strong>refund</strong>" in page
    assert 'hx-get="/console/queue?label=refund"' in page  # the live refresh keeps the filter
    fragment = (await client.get("/console/queue?label=refund")).text
    assert f'data-conversation="{parcel.id}"' not in fragment
    assert 'hx-post="/console/presence?label=refund"' in fragment

    # Going online re-reads the queue through the same filter.
    online = await client.post(
        "/console/presence?label=refund",
        data={"value": "online"},
        headers={**agent.headers, **HTMX},
    )
    assert f'data-conversation="{refund.id}"' in online.text
    assert f'data-conversation="{parcel.id}"' not in online.text
    nobody = (await client.get("/console/queue?label=vip")).text
    assert "Nobody who matches the filters is waiting." in nobody


async def test_a_bad_label_filter_is_refused_with_the_reason(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    response = await client.get("/console?label=a%2Fb", headers={"accept": "text/html"})
    assert response.status_code == 422
    assert "remove /" in response.text
