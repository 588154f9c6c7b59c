// Console keyboard shortcuts. On the queue, the search results and the inbox beside a
// conversation, j / k move through the conversations and Enter opens one (it is a link): in the
// list holding the focus, else the page's first (on a conversation page the inbox, from the
// conversation that is open). Each other key acts on the control that declares it with
// aria-keyshortcuts: r the reply box (or Claim while it waits), n the note
// box, e the Resolve button, which asks first, / the search box (on a page without one, / opens
// the search page). g then q goes back to the queue; ? lists them all. Keys typed into a field,
// and keys with Ctrl, Alt or Meta, are left alone.

const dialog = document.getElementById("shortcuts");
const LISTS = ["#queue", "#search-results", "#inbox-list"];
const CONVERSATION_LINK = "[data-conversation] a[href^='/console/conversations/']";
const SEQUENCE_MS = 1500; // how long "g" waits for the key that completes it
let opener = null; // focused before the help opened; focused again when it closes
let gPressedAt = 0;
let current = null; // the conversation j / k last moved to, kept across live refreshes

function typing(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.matches("input, textarea, select"))
  );
}

function currentList() {
  const lists = LISTS.map((selector) => document.querySelector(selector)).filter(Boolean);
  return lists.find((list) => list.contains(document.activeElement)) || lists[0] || null;
}

function move(step) {
  const list = currentList();
  const links = list ? Array.from(list.querySelectorAll(CONVERSATION_LINK)) : [];
  if (!links.length) return;
  let at = links.indexOf(document.activeElement);
  if (at === -1) at = links.findIndex((link) => link.getAttribute("aria-current") === "page");
  const first = step > 0 ? 0 : links.length - 1;
  const next = at === -1 ? first : Math.min(Math.max(at + step, 0), links.length - 1);
  links[next].focus();
  links[next].scrollIntoView({ block: "nearest" });
  current = links[next].closest("[data-conversation]").dataset.conversation;
}

// The live lists replace their rows; keep the agent's place when the focused row was replaced.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const list = event.target;
  if (!current || !LISTS.some((selector) => list.matches(selector))) return;
  if (document.activeElement && document.activeElement !== document.body) return;
  const row = list.querySelector(`[data-conversation="${CSS.escape(current)}"]`);
  const link = row && row.querySelector(CONVERSATION_LINK.replace("[data-conversation] ", ""));
  if (link) link.focus();
});

function act(key) {
  const control = document.querySelector(`[aria-keyshortcuts~="${key}"]`);
  if (!control) return false;
  if (control.hasAttribute("data-shortcut-clicks")) control.click();
  else control.focus();
  return true;
}

function openHelp() {
  if (!dialog || dialog.open) return;
  opener = document.activeElement;
  dialog.showModal();
}

if (dialog) {
  dialog.querySelector("[data-shortcuts-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (opener && opener.isConnected && opener !== document.body) opener.focus();
    opener = null;
  });
}
for (const button of document.querySelectorAll("[data-shortcuts-open]")) {
  button.addEventListener("click", openHelp);
}

function handle(key) {
  const sequence = Date.now() - gPressedAt < SEQUENCE_MS;
  gPressedAt = 0;
  if (sequence && key === "q") {
    window.location.assign("/console");
    return true;
  }
  switch (key) {
    case "g":
      gPressedAt = Date.now();
      return true;
    case "j":
      move(1);
      return true;
    case "k":
      move(-1);
      return true;
    case "?":
      openHelp();
      return true;
    case "r":
    case "n":
    case "e":
      return act(key);
    case "/":
      if (!act(key)) window.location.assign("/console/search");
      return true;
    default:
      return false;
  }
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.isComposing) return;
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  if (typing(event.target) || (dialog && dialog.open)) return;
  // Handled keys do nothing else: "r" focuses the reply box without typing an r into it.
  if (handle(event.key)) event.preventDefault();
});

// Tells the page (and its tests) that the keys above are listened to from now on.
document.documentElement.dataset.shortcuts = "ready";
