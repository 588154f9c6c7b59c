// The agent console: live queue, live transcript, idempotent replies.
import { followTimeline, newId } from "./live.js";
import { startPresence } from "./presence.js";
import { appendItem } from "./render.js";

// Every reply form submission carries a fresh client_msg_id; the server stores it once.
document.body.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form[data-idempotent]");
  if (form) event.detail.parameters.client_msg_id = newId();
});

// The queue and the inbox list re-read themselves whenever the queue may have changed (a
// handoff, a claim, a label, a customer message in a conversation with people).
const liveLists = Array.from(document.querySelectorAll("[data-live-queue]"));
if (liveLists.length) {
  let first = true;
  const source = new EventSource(liveLists[0].dataset.liveQueue);
  source.addEventListener("queue", () => {
    if (first) {
      first = false; // the page was just rendered with the current lists
      return;
    }
    for (const list of liveLists) htmx.trigger(list, "queue-changed");
  });
  source.onopen = () => {
    for (const list of liveLists) list.dataset.connection = "live";
  };
  source.onerror = () => {
    for (const list of liveLists) list.dataset.connection = "reconnecting";
    first = false; // after a reconnect, re-read the lists on the first event
  };
}

const transcript = document.querySelector("#transcript[data-stream]");
// The action panel was rendered with the page: only later items can make it stale.
const renderedSeq = transcript ? Number(transcript.dataset.renderedSeq || 0) : 0;
// Files the customer sent are downloaded from the conversation's attachments.
const attachmentsBase = transcript
  ? transcript.dataset.stream.replace(/\/stream$/, "/attachments/")
  : null;
// Why the bot said something: an explanation page per bot message, from the console.
const whyBase = transcript
  ? transcript.dataset.stream
      .replace(/^\/api\/v1\/agent\/conversations\//, "/console/conversations/")
      .replace(/\/stream$/, "/why/")
  : null;

// Flags on the bot's answers: the form per answer, and who flagged it when the page was drawn.
const flagBase = whyBase ? whyBase.replace(/\/why\/$/, "/flags/") : null;
const flagsData = document.getElementById("answer-flags-data");
const flags = flagsData ? JSON.parse(flagsData.textContent) : {};

// What the agent has in the reply box (typed or inserted), kept across re-renders of the panel.
// Read when the new panel arrives, not when it was requested: an insert or keystroke while the
// request is in flight must survive it.
let draft = "";
document.body.addEventListener("input", (event) => {
  if (event.target.id === "reply-text") draft = event.target.value;
});
document.body.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.elt.matches && event.detail.elt.matches("form.reply")) draft = "";
});
// Where the agent's caret (or selection) was in the box a swap replaces. Without it, text typed
// over a selected draft while the panel is re-read lands after the draft instead of replacing
// it (seen in CI: a select-all then type gave the saved reply followed by the new answer).
let selection = null;
document.body.addEventListener("htmx:beforeSwap", () => {
  const box = document.getElementById("reply-text");
  selection =
    box && document.activeElement === box
      ? { value: box.value, start: box.selectionStart, end: box.selectionEnd }
      : null;
});
// Whenever the panel is re-rendered (claimed, refreshed), an empty reply box gets the draft back.
// Right after the swap, not after the settle: htmx keeps the focus in the new box, so keys
// typed during the settle would land in it first and the draft would be dropped.
document.body.addEventListener("htmx:afterSwap", () => {
  const box = document.getElementById("reply-text");
  if (box && draft && !box.value) {
    box.value = draft;
    box.focus(); // the agent was working in the box the panel replaced
    if (selection && selection.value === draft) {
      box.setSelectionRange(selection.start, selection.end);
    }
  }
  selection = null; // this swap's; the next one reads its own
});

// Re-read the action panel (claim, reply, abuse, transfer) when the conversation changes,
// keeping whatever the agent was typing. Two rules keep an older state off the screen:
// - a re-read that answers after the panel was swapped by a later request is dropped;
// - while the agent's own action (a reply, a transfer) is on its way, no re-read replaces the
//   panel it was sent from. htmx fires the action's answer at that panel: once detached, the
//   answer would land nowhere and the re-read's older state would stay (seen in CI: the reply
//   was stored, the panel kept "First reply: 59:59 left"). The re-read is made again once the
//   action has answered.
let actionsSwaps = 0;
const actionsInFlight = new Set();
let reReadOwed = false;
document.body.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.target && event.detail.target.id === "actions") {
    const xhr = event.detail.xhr;
    xhr.actionsSwapsAtStart = actionsSwaps;
    xhr.actionsReRead = String(event.detail.requestConfig.verb).toLowerCase() === "get";
    if (!xhr.actionsReRead) actionsInFlight.add(xhr);
  }
});
document.body.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.actionsSwapsAtStart === undefined || !xhr.actionsReRead) return;
  if (actionsInFlight.size) {
    event.detail.shouldSwap = false;
    reReadOwed = true;
  } else if (xhr.actionsSwapsAtStart < actionsSwaps) {
    event.detail.shouldSwap = false;
  }
});
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "actions") actionsSwaps += 1;
});
// After the answer (or a failure): fired where the form was, or on its nearest attached parent.
document.body.addEventListener("htmx:afterRequest", (event) => {
  if (!actionsInFlight.delete(event.detail.xhr) || actionsInFlight.size) return;
  if (reReadOwed) {
    reReadOwed = false;
    refreshActions();
  }
});

function refreshActions() {
  const actions = document.getElementById("actions");
  if (!actions) return;
  const url = `${location.pathname}/actions`;
  htmx.ajax("GET", url, { target: "#actions", swap: "outerHTML" });
}

if (transcript) {

  followTimeline({
    url: transcript.dataset.stream,
    after: 0,
    onItem(item) {
      appendItem(transcript, item, { viewer: "agent", attachmentsBase, whyBase, flagBase, flags });
      // On screen now: inbox.js moves the agent's read mark to it.
      transcript.dispatchEvent(new CustomEvent("timeline-item", { detail: item }));
      const changesState = item.type === "event" || item.author === "customer";
      if (changesState && item.seq > renderedSeq) refreshActions();
      if (item.author === "customer" && item.seq > renderedSeq) {
        htmx.trigger(document.body, "refresh-suggestions");
      }
    },
    onState(state) {
      transcript.dataset.connection = state;
    },
  });
}

// A suggested or saved reply goes into the reply box, where the agent edits it before sending.
document.body.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("button[data-insert]");
  if (!button) return;
  draft = button.dataset.insert; // kept for the box of a panel still being claimed
  const box = document.getElementById("reply-text");
  if (!box) return;
  box.value = draft;
  box.focus();
});

// Presence follows a live console (presence.js): check-ins, and "away" after the idle time.
if (document.querySelector("[data-live-queue], #transcript[data-stream]")) {
  startPresence();
}
