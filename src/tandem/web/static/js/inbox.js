// The inbox pane (console/_inbox.html). While a conversation is on screen the agent's read mark
// follows what it shows, so the list counts only what they have not seen; the tab's title
// carries the unread count; and once the agent turns it on (browsers ask for a click first), a
// customer writing in one of their conversations while the console is hidden brings a desktop
// notification and a short sound.
import { gettextFrom } from "./i18n.js";

const gettext = gettextFrom("inbox-texts"); // console/_inbox.html
const list = document.getElementById("inbox-list");
const transcript = document.querySelector("#transcript[data-stream]");
const toggle = document.querySelector("[data-notify-toggle]");
const notifyStatus = document.querySelector("[data-notify-status]");
const NOTIFY_KEY = "tandem.console.notify";
const baseTitle = document.title;

// Unread customer messages per conversation the agent holds, as the list last showed them.
function unreadShown() {
  const body = list && list.querySelector(".inbox-body");
  if (!body) return {};
  try {
    return JSON.parse(body.dataset.unread || "{}");
  } catch (error) {
    return {};
  }
}

let unread = unreadShown();

function showTotal() {
  const total = Object.values(unread).reduce((sum, count) => sum + count, 0);
  document.title = total ? `(${total}) ${baseTitle}` : baseTitle;
}
showTotal();

// The read mark: the highest sequence number on screen, sent while the page is visible. One
// request at a time; what arrives meanwhile goes with the next one.
let shownSeq = 0;
let sentSeq = 0;
let sending = false;
let scheduled = false;

function sendReadMark() {
  scheduled = false;
  if (!transcript || sending || document.hidden || shownSeq <= sentSeq) return;
  sending = true;
  sentSeq = shownSeq; // a failed request is not retried until more is shown
  htmx
    .ajax("POST", `${location.pathname}/read`, {
      source: transcript,
      values: { seq: sentSeq },
      swap: "none",
    })
    .then(() => {
      if (list) htmx.trigger(list, "queue-changed"); // its unread count is gone
    })
    .finally(() => {
      sending = false;
      sendReadMark();
    });
}

if (transcript) {
  transcript.addEventListener("timeline-item", (event) => {
    shownSeq = Math.max(shownSeq, event.detail.seq);
    if (!scheduled) {
      scheduled = true; // a burst of items (the history, on load) makes one request
      setTimeout(sendReadMark, 0);
    }
  });
  document.addEventListener("visibilitychange", sendReadMark);
}

// Notifications and sound, on this browser only, after the agent asked for them.
function notifying() {
  try {
    return localStorage.getItem(NOTIFY_KEY) === "on";
  } catch (error) {
    return false;
  }
}

let audio = null;

function unlockSound() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  audio = audio || new Context();
  audio.resume().catch(() => {});
}

function chime() {
  if (!audio || audio.state !== "running") return;
  const tone = audio.createOscillator();
  const volume = audio.createGain();
  tone.frequency.value = 880;
  volume.gain.setValueAtTime(0.08, audio.currentTime);
  volume.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.3);
  tone.connect(volume).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.3);
}

function announce(ids) {
  const item = list.querySelector(`[data-conversation="${CSS.escape(ids[0])}"]`);
  const who = item ? item.dataset.customer : null;
  const title = who ? gettext("New message from %(name)s", { name: who }) : gettext("New customer message");
  const body =
    ids.length > 1
      ? gettext("%(count)s of your conversations have new messages.", { count: ids.length })
      : gettext("In one of your conversations.");
  if ("Notification" in window && Notification.permission === "granted") {
    const notification = new Notification(title, { body, tag: "tandem-inbox" });
    notification.onclick = () => {
      window.focus();
      const link = item && item.querySelector("a");
      if (link) window.location.assign(link.href);
      notification.close();
    };
  }
  chime();
}

if (list) {
  list.addEventListener("htmx:afterSwap", (event) => {
    if (event.target !== list) return;
    const now = unreadShown();
    const grown = Object.keys(now).filter((id) => now[id] > (unread[id] || 0));
    unread = now;
    showTotal();
    if (grown.length && document.hidden && notifying()) announce(grown);
  });
}

function showToggle(message) {
  toggle.hidden = false;
  toggle.setAttribute("aria-pressed", String(notifying()));
  if (message !== undefined) notifyStatus.textContent = message;
}

if (toggle && notifyStatus) {
  showToggle();
  if (notifying()) {
    // Sound needs a gesture on every page: the agent's first click or key unlocks it.
    const unlock = () => unlockSound();
    document.addEventListener("pointerdown", unlock, { once: true });
    document.addEventListener("keydown", unlock, { once: true });
  }
  toggle.addEventListener("click", async () => {
    if (notifying()) {
      localStorage.removeItem(NOTIFY_KEY);
      showToggle(gettext("Notifications are off."));
      return;
    }
    unlockSound();
    let permission = "unsupported";
    if ("Notification" in window) permission = await Notification.requestPermission();
    try {
      localStorage.setItem(NOTIFY_KEY, "on");
    } catch (error) {
      showToggle(gettext("This browser keeps no settings, so notifications cannot be turned on."));
      return;
    }
    showToggle(
      permission === "granted"
        ? gettext("On: a notification and a sound when a customer writes while the console is hidden.")
        : gettext("Your browser blocks notifications from this site: you will hear a sound instead."),
    );
  });
}

// The filters leave what is not chosen out of the address: /console?label=refund, not a list of
// empty parameters.
for (const form of document.querySelectorAll("form[data-inbox-filters]")) {
  form.addEventListener("formdata", (event) => {
    for (const [name, value] of Array.from(event.formData.entries())) {
      if (!value) event.formData.delete(name);
    }
  });
}
