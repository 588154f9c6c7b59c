// Presence follows a live console. While a console page is open it checks in every 30 s,
// saying how long the agent has gone without typing or moving the mouse (in any console tab:
// the time of the last input is shared through localStorage). A closed browser stops checking
// in, and the server marks the agent offline after TANDEM_PRESENCE_TIMEOUT_SECONDS, giving
// their conversations to someone else; an open console left alone makes them "away" after
// TANDEM_AWAY_AFTER_IDLE_SECONDS (no new conversations), and the next input brings them back.
import { gettextFrom } from "./i18n.js";

const gettext = gettextFrom("presence-texts"); // console/_presence_texts.html

const CHECK_IN_MS = 30000;
const SHARED_KEY = "tandem.lastInput";
const RECORD_EVERY_MS = 5000; // how often input is written down: moving the mouse is many events

let lastInput = Date.now();
let recorded = 0;
let awayIdle = false;
let sent = 0; // check-ins sent; only the latest one's answer is shown (answers may cross)
let shown = 0;

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
  } catch {
    return "";
  }
}

function sharedLastInput() {
  try {
    return Number(window.localStorage.getItem(SHARED_KEY)) || 0;
  } catch {
    return 0; // storage refused (privacy settings): this tab's own input only
  }
}

function idleSeconds() {
  const last = Math.max(lastInput, sharedLastInput());
  return Math.min(86400, Math.max(0, Math.floor((Date.now() - last) / 1000)));
}

function notice() {
  let box = document.getElementById("away-notice");
  if (!box) {
    box = document.createElement("p");
    box.id = "away-notice";
    box.className = "away-notice";
    box.setAttribute("role", "status");
    box.dataset.testid = "away-notice";
    box.hidden = true;
    const main = document.querySelector("main") || document.body;
    main.prepend(box);
  }
  return box;
}

function show(state) {
  awayIdle = Boolean(state.away_idle);
  const box = notice();
  if (awayIdle) {
    const minutes = Math.round((state.away_after_seconds || 0) / 60);
    box.textContent = gettext(
      "You are shown as away after %(minutes)s minutes without activity, so no new conversations come to you. Press a key or move the mouse to come back.",
      { minutes },
    );
    box.hidden = false;
  } else {
    box.hidden = true;
  }
  document.dispatchEvent(new CustomEvent("tandem:presence", { detail: state }));
}

async function checkIn() {
  const mine = ++sent;
  try {
    const response = await fetch("/console/activity", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ idle_seconds: idleSeconds() }),
    });
    if (!response.ok) return;
    const state = await response.json();
    if (mine > shown) {
      shown = mine;
      show(state);
    }
  } catch {
    // offline for a moment: the next check-in tries again
  }
}

function onInput() {
  const now = Date.now();
  lastInput = now;
  if (now - recorded >= RECORD_EVERY_MS) {
    recorded = now;
    try {
      window.localStorage.setItem(SHARED_KEY, String(now));
    } catch {
      // storage refused: this tab still knows
    }
  }
  if (awayIdle) {
    awayIdle = false; // one check-in, not one per mouse movement
    checkIn();
  }
}

export function startPresence() {
  for (const kind of ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"]) {
    document.addEventListener(kind, onInput, { passive: true, capture: true });
  }
  window.addEventListener("focus", onInput);
  setInterval(checkIn, CHECK_IN_MS);
}
