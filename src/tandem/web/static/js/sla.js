// First-reply countdowns on console pages, ticking every second. The server renders each one
// (routing/sla.py: keep the wording the same) with its deadline (the <time>), when the allowed
// time began and the share of it after which the conversation is at risk. The visible text
// changes every second; the accessible label only when its minute-level wording changes, and
// role="timer" is not announced by itself.

const CLOCKS = ".sla[data-sla-share]";
const STATES = ["on-time", "at-risk", "overdue"];
// The browser's clock may be off: each countdown keeps the server's time it was rendered at.
const offsets = new WeakMap();

function clockFace(seconds) {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = String(seconds % 60).padStart(2, "0");
  if (days) return `${days} d ${hours}:${String(minutes).padStart(2, "0")}:${secs}`;
  if (hours) return `${hours}:${String(minutes).padStart(2, "0")}:${secs}`;
  return `${minutes}:${secs}`;
}

function plural(n, unit) {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

function spoken(seconds) {
  const total = Math.floor(seconds / 60);
  if (total === 0) return "less than a minute";
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts = days ? [[days, "day"], [hours, "hour"]] : [[hours, "hour"], [minutes, "minute"]];
  return parts
    .filter(([n]) => n)
    .map(([n, unit]) => plural(n, unit))
    .join(" ");
}

function read(clock, now) {
  const deadline = Date.parse(clock.querySelector("time").dateTime);
  const start = Date.parse(clock.dataset.slaStart);
  const share = Number(clock.dataset.slaShare);
  const left = Math.floor((deadline - now) / 1000);
  if (now > deadline) {
    return {
      state: "overdue",
      text: `overdue ${clockFace(-left)}`,
      label: `SLA overdue by ${spoken(-left)}`,
    };
  }
  const atRisk = now >= start + (deadline - start) * share;
  return {
    state: atRisk ? "at-risk" : "on-time",
    text: `${clockFace(left)} left`,
    label: `SLA: ${spoken(left)} left${atRisk ? " (at risk)" : ""}`,
  };
}

function update(clock) {
  if (!offsets.has(clock)) offsets.set(clock, Date.parse(clock.dataset.slaNow) - Date.now());
  const { state, text, label } = read(clock, Date.now() + offsets.get(clock));
  const time = clock.querySelector("time");
  if (time.textContent !== text) time.textContent = text;
  if (clock.getAttribute("aria-label") !== label) clock.setAttribute("aria-label", label);
  if (clock.dataset.slaState !== state) {
    clock.classList.remove(...STATES.map((s) => `sla-${s}`));
    clock.classList.add(`sla-${state}`);
    clock.dataset.slaState = state;
  }
}

function tick() {
  for (const clock of document.querySelectorAll(CLOCKS)) update(clock);
}

tick();
setInterval(tick, 1000);
// A live refresh or a re-rendered panel brings new countdowns: start them at once.
document.body.addEventListener("htmx:afterSettle", tick);
