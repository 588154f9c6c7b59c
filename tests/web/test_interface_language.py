"""Interface languages: staff read their pages in their own, customers in the one asked for."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Role
from tandem.config import Settings
from tests.channels.helpers import log_in_agent, start_chat
from tests.conftest import app_sharing, settings_for
from tests.factories import import_demo_knowledge, install_policy, policy_document

HTML = {"Accept": "text/html"}


def _html_lang(page: httpx.Response) -> str:
    found = re.search(r'<html lang="([^"]+)">', page.text)
    assert found is not None, page.text[:200]
    return found.group(1)


async def test_a_staff_member_who_chose_german_reads_german_console_pages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    english = await client.get("/console/account", headers=HTML)
    assert _html_lang(english) == "en"
    assert "Change your password" in english.text
    saved = await client.post(
        "/console/account/language",
        data={"csrf_token": agent.csrf, "language": "de"},
        headers=HTML,
    )
    assert saved.status_code == 200
    assert "Sprache gespeichert." in saved.text  # the answer is already in German
    assert agent.user.language == "de"
    for path, german in [
        ("/console/account", "Passwort ändern"),
        ("/console/two-factor", "Zwei-Faktor-Anmeldung einrichten"),
    ]:
        page = await client.get(path, headers={**HTML, "Accept-Language": "en"})
        assert _html_lang(page) == "de", path
        assert german in page.text, path
        assert "Change your password" not in page.text


async def test_without_a_choice_the_browser_language_counts_else_english(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    german = await client.get("/console/account", headers={**HTML, "Accept-Language": "de-DE"})
    assert _html_lang(german) == "de"
    assert "Ihr Konto" in german.text
    other = await client.get("/console/account", headers={**HTML, "Accept-Language": "fi"})
    assert _html_lang(other) == "en"
    assert "Your account" in other.text


async def test_a_language_the_interface_lacks_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    refused = await client.post(
        "/console/account/language",
        data={"csrf_token": agent.csrf, "language": "xx"},
        headers=HTML,
    )
    assert refused.status_code == 422
    assert "Choose one of the languages offered." in refused.text
    assert agent.user.language is None


async def test_an_admin_sets_a_users_language_and_back_to_the_browsers(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    agent = await auth_service.create_user(
        session, email="lang@example.com", name="Lang", password="violet-harbour-lantern-92"
    )
    form = {"csrf_token": admin.csrf, "role": "agent", "capacity": "3"}
    set_ = await client.post(f"/admin/users/{agent.id}", data=form | {"language": "de"})
    assert set_.status_code == 200
    assert agent.language == "de"
    kept = await client.post(f"/admin/users/{agent.id}", data=form)  # no field: unchanged
    assert kept.status_code == 200
    assert agent.language == "de"
    cleared = await client.post(f"/admin/users/{agent.id}", data=form | {"language": "browser"})
    assert cleared.status_code == 200
    assert agent.language is None


@pytest.mark.parametrize(
    ("path", "german", "english"),
    [
        ("/console/review", "Was der Bot lernen könnte", "What the bot could learn"),
        ("/console/review/gaps", "Fragen, die der Bot nicht beantworten konnte", "Questions the"),
        ("/console/supervisor", "Supervisor-Übersicht", "Supervisor overview"),
        ("/console/policy", "Eskalationsrichtlinie", "Escalation policy"),
        ("/console/macros", "Gespeicherte Antwort hinzufügen", "Add a saved reply"),
        ("/console/search?q=walnut", "Kein Gespräch enthält <q>walnut</q>.", "No conversation"),
        ("/admin/analytics", "Was die KI leistet", "What the AI delivers"),
        ("/admin/tokens", "Neues Token", "New token"),
        ("/admin/audit", "Audit-Log", ">Audit log<"),
        ("/admin/privacy", "Daten eines Kunden exportieren", "Export a customer"),
    ],
)
async def test_a_german_admin_reads_the_console_and_admin_pages_in_german(
    client: httpx.AsyncClient, session: AsyncSession, path: str, german: str, english: str
) -> None:
    await log_in_agent(client, session, role=Role.ADMIN)
    page = await client.get(path, headers={**HTML, "Accept-Language": "de"})
    assert page.status_code == 200, path
    assert _html_lang(page) == "de"
    assert german in page.text
    assert english not in page.text
    assert english in (await client.get(path, headers={**HTML, "Accept-Language": "en"})).text


async def test_a_german_agent_works_the_queue_and_a_conversation_in_german(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))
    agent = await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("I want to talk to a person about the walnut shelf")
    assert (await agent.post(f"/conversations/{chat.id}/claim")).status_code == 200
    german = {**HTML, "Accept-Language": "de"}
    queue = await client.get("/console?priority=normal", headers=german)
    assert queue.status_code == 200
    assert _html_lang(queue) == "de"
    for text in [
        ">Warteschlange</h1>",
        "Meine Gespräche",
        "Mein Status",
        "Der Bot führt gerade keine Gespräche.",
        "Angezeigt werden nur Gespräche mit der Priorität <strong>normal</strong>.",
        '<option value="high">hoch</option>',
    ]:
        assert text in queue.text, text
    page = await client.get(f"/console/conversations/{chat.id}", headers=german)
    assert page.status_code == 200
    for text in [
        "Gespräch mit einem Besucher",
        ">Posteingang</h2>",  # the inbox pane beside the conversation
        "Nicht zugewiesen",
        'aria-label="Meine: 1 Gespräch"',
        "mit einer Person · general",
        "Bei neuen Kundennachrichten benachrichtigen",
        "Warteschlange, Posteingang und Suchergebnisse",
        ">Abmelden</button>",
    ]:
        assert text in page.text, text
    for english in ["Conversation with", "Inbox", "Unassigned", "with a person", "Log out"]:
        assert english not in page.text, english
    # The scripts' texts: the transcript's (render.js) and the inbox's notifications.
    assert '"Why did the bot say this?": "Warum hat der Bot das gesagt?"' in page.text
    inbox_texts = re.search(
        r'<script type="application/json" id="inbox-texts">(.*?)</script>', page.text
    )
    assert inbox_texts is not None
    assert '"Notifications are off.": "Benachrichtigungen sind aus."' in inbox_texts.group(1)
    english = await client.get(f"/console/conversations/{chat.id}", headers=HTML)
    assert 'aria-label="Mine: 1 conversation"' in english.text
    assert 'id="inbox-texts">{}</script>' in english.text


async def test_a_bad_inbox_filter_is_refused_in_the_readers_language(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    refused = await client.get("/console?view=alle", headers={**HTML, "Accept-Language": "de"})
    assert refused.status_code == 422
    assert "view &#39;alle&#39; gibt es nicht, nur all, mine, team, unassigned" in refused.text
    english = await client.get("/console?view=alle", headers=HTML)
    assert "view &#39;alle&#39; is not one of all, mine, team, unassigned" in english.text


async def test_a_notice_with_values_is_translated_then_filled_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    created = await client.post(
        "/admin/users",
        data={
            "csrf_token": admin.csrf,
            "email": "neu@example.com",
            "name": "Neu",
            "role": "agent",
            "password": "violet-harbour-lantern-92",
        },
        headers={**HTML, "Accept-Language": "de"},
    )
    assert created.status_code == 200
    assert "neu@example.com angelegt (agent)." in created.text


@pytest.mark.parametrize(
    ("query", "accept", "lang", "heading"),
    [
        pytest.param("?lang=de", "en", "de", "Chat mit", id="lang-parameter"),
        pytest.param("", "de-CH,de;q=0.9", "de", "Chat mit", id="browser"),
        pytest.param("", "fi", "en", "Chat with", id="neither-english-company"),
        pytest.param("?lang=fi", "de", "de", "Chat mit", id="unknown-lang-then-browser"),
    ],
)
async def test_the_customer_chat_is_in_the_language_asked_for(
    client: httpx.AsyncClient, query: str, accept: str, lang: str, heading: str
) -> None:
    page = await client.get(f"/chat{query}", headers={"Accept-Language": accept})
    assert page.status_code == 200
    assert _html_lang(page) == lang
    assert heading in page.text


async def test_a_german_chat_page_is_german_for_its_scripts_too(client: httpx.AsyncClient) -> None:
    page = await client.get("/chat?lang=de")
    assert 'class="primary">Mit einer Person sprechen</button>' in page.text
    assert "Schreiben Sie Ihre Frage …" in page.text
    texts = re.search(r'<script type="application/json" id="ui-texts">(.*?)</script>', page.text)
    assert texts is not None
    assert '"Waiting for a person": "Warten auf eine Person"' in texts.group(1)
    assert 'href="/kb?lang=de"' in page.text  # the help centre keeps the language


async def test_the_company_default_applies_when_the_browser_names_none(
    session: AsyncSession, settings: Settings
) -> None:
    german_shop = settings_for(settings.database_url, interface_language="de")
    async with app_sharing(session, german_shop) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            page = await client.get("/chat", headers={"Accept-Language": "fi"})
            english = await client.get("/chat", headers={"Accept-Language": "en"})
    assert _html_lang(page) == "de"
    assert _html_lang(english) == "en"


async def test_a_german_supervisor_reads_the_dashboard_charts_in_german(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session, role=Role.SUPERVISOR)
    german = await client.get("/admin/analytics", headers={**HTML, "Accept-Language": "de"})
    assert german.status_code == 200

    def in_chart(text: str, page: httpx.Response) -> bool:  # charts are JSON: ö is \u00f6
        return json.dumps(text)[1:-1] in page.text

    for text in ("Von der KI gelöst", "Von einem Menschen bearbeitet", "Übergaben", "KI"):
        assert in_chart(text, german), text
    assert "Resolved by the AI" not in german.text
    forecast = await client.get("/admin/forecast", headers={**HTML, "Accept-Language": "de"})
    assert in_chart("Einzuplanende Mitarbeitende (Was-wäre-wenn)", forecast)
    english = await client.get("/admin/analytics", headers={**HTML, "Accept-Language": "en"})
    assert "Resolved by the AI" in english.text
