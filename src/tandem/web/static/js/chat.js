// The customer chat: uses only the public API (/api/v1/conversations...).
import { gettext } from "./i18n.js";
import { followTimeline, newId } from "./live.js";
import { appendItem } from "./render.js";

const root = document.querySelector(".chat");
let identity = JSON.parse(root.dataset.identity || "null");
const storeKey = () => `tandem.chat.${identity ? identity.email || identity.external_id : "visitor"}`;

// In the widget's frame on a company's site: the page passes the signed-in customer, and is
// told how many replies arrived while the chat was closed. Messages go to that page only.
const embedded = root.dataset.embed === "true";
const parentOrigin = root.dataset.parentOrigin;
let widgetOpen = !embedded;
let lastSeq = 0;
let unread = 0;

function toParent(message) {
  if (embedded) window.parent.postMessage(message, parentOrigin);
}

// Where the conversation's key is kept: this browser's storage on /chat; in the widget, the
// host page's, because browsers may refuse storage to a frame from another site.
const memory = new Map();
const storage = {
  get(key) {
    if (!embedded) {
      try {
        return localStorage.getItem(key);
      } catch {
        // storage turned off: this page's memory only
      }
    }
    return memory.has(key) ? memory.get(key) : null;
  },
  set(key, value) {
    memory.set(key, value);
    if (embedded) toParent({ type: "tandem:store", key, value });
    else {
      try {
        localStorage.setItem(key, value);
      } catch {
        // storage turned off: kept in memory
      }
    }
  },
  remove(key) {
    memory.delete(key);
    if (embedded) toParent({ type: "tandem:store", key, value: null });
    else {
      try {
        localStorage.removeItem(key);
      } catch {
        // storage turned off
      }
    }
  },
};

function seenKey() {
  return state ? `tandem.chat.seen.${state.id}` : null;
}

function markSeen() {
  if (!state) return;
  storage.set(seenKey(), String(lastSeq));
  unread = 0;
  toParent({ type: "tandem:unread", count: 0 });
}

if (embedded) {
  window.addEventListener("message", (event) => {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    const message = event.data || {};
    if (message.type === "tandem:visibility") {
      widgetOpen = Boolean(message.open);
      if (widgetOpen) markSeen();
    }
  });
  document.getElementById("close-widget").addEventListener("click", () => toParent({ type: "tandem:close" }));
}

// The loader's texts (its button, the frame's title) in the chat's language, for the site's page.
function launcherTexts() {
  const block = document.getElementById("launcher-texts");
  return block ? JSON.parse(block.textContent) : {};
}

// The signed-in customer, from the page (at most a few seconds' wait; then as a visitor).
function identityFromPage() {
  if (!embedded) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    window.addEventListener("message", function onIdentity(event) {
      if (event.origin !== parentOrigin || event.source !== window.parent) return;
      if (!event.data || event.data.type !== "tandem:identity") return;
      identity = event.data.identity || null;
      for (const [key, value] of Object.entries(event.data.storage || {})) {
        if (typeof value === "string") memory.set(key, value);
      }
      window.removeEventListener("message", onIdentity);
      clearTimeout(timer);
      resolve();
    });
    toParent({ type: "tandem:ready", texts: launcherTexts() });
  });
}
const transcript = document.getElementById("transcript");
const statusLine = document.getElementById("chat-status");
const composer = document.getElementById("composer");
const input = document.getElementById("message");
const talkButton = document.getElementById("talk-to-person");
const newButton = document.getElementById("new-conversation");
const endButton = document.getElementById("end-chat");
const ratingForm = document.getElementById("rating");
const followUpForm = document.getElementById("follow-up");

let state = null; // { id, token }
let follower = null;

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (state) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    const message = payload && payload.error ? payload.error.message : gettext("Request failed (%(status)s)", { status: response.status });
    throw new ApiError(response.status, message);
  }
  return payload;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Retries network failures and 5xx with the same client_msg_id: the server stores it once.
async function withRetries(call) {
  let delay = 400;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = !(error instanceof ApiError) || error.status >= 500;
      if (!retryable || attempt >= 6) throw error;
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

// The header's note says who the customer is talking to; an agent joining changes it.
const aiNote = document.querySelector(".ai-note");
const aiNoteText = aiNote ? aiNote.textContent : "";

function agentName(conversation) {
  return conversation.agent_name || gettext("a person from our team");
}

function showStatus(text) {
  statusLine.textContent = text;
}

async function refreshStatus() {
  const conversation = await api(`/api/v1/conversations/${state.id}`);
  const waiting = conversation.status === "waiting";
  const assigned = conversation.status === "assigned";
  talkButton.setAttribute("aria-disabled", waiting || assigned ? "true" : "false");
  // Say what is true: waiting for a person is not yet talking to one.
  talkButton.textContent = assigned
    ? gettext("A person is on this chat")
    : waiting ? gettext("Waiting for a person") : gettext("Talk to a person");
  if (aiNote) {
    aiNote.textContent = assigned
      ? gettext("You're chatting with %(name)s, a person from our team.", { name: agentName(conversation) })
      : aiNoteText;
  }
  if (waiting && conversation.queue) {
    const q = conversation.queue;
    const place = q.position === 1
      ? gettext("You're next in line")
      : gettext("You're number %(position)s in the queue", { position: q.position });
    let when = q.estimated_wait_text; // nobody online, or out of hours: already a sentence
    if (q.open && q.estimated_wait_seconds !== null) when = gettext("expected wait: %(wait)s", { wait: when });
    else if (!q.open) when = gettext("our team is offline right now; %(when)s", { when });
    const contact = conversation.follow_up === "callback"
      ? " " + gettext("We'll call you back.")
      : conversation.follow_up === "email" ? " " + gettext("We'll reply by e-mail.") : "";
    showStatus(gettext("Waiting for a person. %(place)s; %(when)s.", { place, when }) + contact);
  } else if (conversation.status === "assigned") {
    showStatus(gettext("You're chatting with %(name)s.", { name: agentName(conversation) }));
  } else if (conversation.status === "resolved") {
    showStatus(conversation.rating
      ? gettext("Thanks for rating us %(score)s/5.", { score: conversation.rating })
      : gettext("This conversation is resolved."));
  } else {
    showStatus("");
  }
  ratingForm.hidden = !(conversation.status === "resolved" && !conversation.rating);
  followUpForm.hidden = !(conversation.status === "waiting" && !conversation.follow_up);
  endButton.hidden = conversation.status !== "bot";
}

// While a model words the bot's answer (a job, after the message was stored), the customer
// sees the bot typing. Anything the bot, a person or the system says next ends it, and so
// does any change of state (a handoff drops an answer still being worded).
const TYPING = "conversation.bot_typing";

function showTyping(on) {
  let typing = transcript.querySelector("li.typing");
  if (!on) {
    if (typing) typing.remove();
    return;
  }
  if (!typing) {
    typing = document.createElement("li");
    typing.className = "typing";
    typing.setAttribute("role", "status");
    typing.textContent = gettext("The assistant is writing…");
  }
  transcript.append(typing); // stays last
}

function onItem(item) {
  if (item.type === "message" && item.client_msg_id) {
    const pending = transcript.querySelector(`[data-pending="${CSS.escape(item.client_msg_id)}"]`);
    if (pending) pending.remove();
  }
  appendItem(transcript, item, { viewer: "customer" });
  if (item.type === "event" && item.kind === TYPING) showTyping(true);
  else if (item.type === "event" || item.author !== "customer") showTyping(false);
  else if (transcript.querySelector("li.typing")) showTyping(true); // keep it last
  if (item.type === "event" && item.kind !== TYPING) refreshStatus().catch(() => {});
  lastSeq = Math.max(lastSeq, item.seq);
  if (!embedded) return;
  const seen = Number(storage.get(seenKey()) || 0);
  if (widgetOpen) {
    markSeen();
  } else if (item.type === "message" && item.author !== "customer" && item.kind !== "greeting" && item.seq > seen) {
    unread += 1;
    toParent({ type: "tandem:unread", count: unread });
  }
}

function follow() {
  if (follower) follower.stop();
  transcript.replaceChildren();
  lastSeq = 0;
  unread = 0;
  follower = followTimeline({
    url: `/api/v1/conversations/${state.id}/stream`,
    headers: { Authorization: `Bearer ${state.token}` },
    after: 0,
    onItem,
    onState(s) {
      root.dataset.connection = s;
      if (s === "gone") startConversation().catch(reportError);
    },
  });
}

async function startConversation() {
  state = null;
  const body = identity ? { customer: identity } : {};
  body.language = document.documentElement.lang || undefined;  // the bot greets in it
  const started = await withRetries(() => api("/api/v1/conversations", { method: "POST", body }));
  state = { id: started.id, token: started.token };
  storage.set(storeKey(), JSON.stringify(state));
  follow();
  await refreshStatus();
}

async function resume() {
  const saved = JSON.parse(storage.get(storeKey()) || "null");
  if (saved && saved.id && saved.token) {
    state = saved;
    try {
      await refreshStatus();
      follow();
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
  }
  await startConversation();
}

function reportError(error) {
  showStatus(gettext("Sorry, something went wrong: %(problem)s. Your message is kept; please try again.", {
    problem: error.message,
  }));
}

composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  await ready; // a message typed while the chat is starting waits for it, and is not lost
  const clientMsgId = newId();
  const pending = document.createElement("li");
  pending.className = "message from-customer pending";
  pending.dataset.pending = clientMsgId;
  const p = document.createElement("p");
  p.className = "text";
  p.textContent = text;
  pending.append(p);
  transcript.append(pending);
  input.value = "";
  try {
    await withRetries(() =>
      api(`/api/v1/conversations/${state.id}/messages`, {
        method: "POST",
        body: { text, client_msg_id: clientMsgId },
      }),
    );
  } catch (error) {
    pending.classList.add("failed");
    input.value = text;
    reportError(error);
  }
});

transcript.addEventListener("click", (event) => {
  const button = event.target.closest("button.quick-reply");
  if (!button) return;
  input.value = button.textContent;
  composer.requestSubmit();
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    composer.requestSubmit();
  }
});

talkButton.addEventListener("click", async () => {
  await ready;
  if (!state || talkButton.getAttribute("aria-disabled") === "true") return;
  try {
    await withRetries(() => api(`/api/v1/conversations/${state.id}/handoff`, { method: "POST" }));
    await refreshStatus();
  } catch (error) {
    reportError(error);
  }
});

endButton.addEventListener("click", async () => {
  await ready;
  if (!state) return;
  try {
    await withRetries(() => api(`/api/v1/conversations/${state.id}/close`, { method: "POST" }));
    await refreshStatus();
  } catch (error) {
    reportError(error);
  }
});

followUpForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(followUpForm);
  const email = String(data.get("email") || "").trim();
  const phone = String(data.get("phone") || "").trim();
  if (!email && !phone) {
    showStatus(gettext("Please leave an e-mail address or a phone number."));
    return;
  }
  try {
    await api(`/api/v1/conversations/${state.id}/follow-up`, {
      method: "POST",
      body: { email: email || null, phone: phone || null },
    });
    await refreshStatus();
  } catch (error) {
    reportError(error);
  }
});

newButton.addEventListener("click", () => {
  storage.remove(storeKey());
  startConversation().catch(reportError);
});

ratingForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(ratingForm);
  try {
    await api(`/api/v1/conversations/${state.id}/rating`, {
      method: "POST",
      body: { score: Number(data.get("score")), comment: data.get("comment") || null },
    });
    await refreshStatus();
  } catch (error) {
    reportError(error);
  }
});

// Handlers await this, so a click or a message during start-up is acted on, never dropped.
const ready = identityFromPage().then(resume).catch(reportError);
