// First-reply countdowns on console pages, ticking every second. The server renders each one
// (web/sla_texts.py: keep the wording the same) with its deadline (the <time>), when the allowed
// time began and the share of it after which the conversation is at risk. The visible text
// changes every second; the accessible label only when its minute-level wording changes, and
// role="timer" is not announced by itself. The words are the page's language (console/_sla.html
// renders their translations); the units come from Intl, as the server's from CLDR.

import { gettextFrom, language } from "./i18n.js";

const gettext = gettextFrom("sla-texts");

const CLOCKS = ".sla[data-sla-share]";
const STATES = ["on-time", "at-risk", "overdue"];
// The browser's clock may be off: each countdown keeps the server's time it was rendered at.
const offsets = new WeakMap();

function clockFace(seconds) {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = String(seconds % 60).padStart(2, "0");
  if (days) {
    const time = `${hours}:${String(minutes).padStart(2, "0")}:${secs}`;
    return gettext("%(days)s d %(time)s", { days, time });
  }
  if (hours) return `${hours}:${String(minutes).padStart(2, "0")}:${secs}`;
  return `${minutes}:${secs}`;
}

function plural(n, unit) {
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" }).format(n);
}

function spoken(seconds) {
  const total = Math.floor(seconds / 60);
  if (total === 0) return gettext("less than a minute");
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
      text: gettext("overdue %(time)s", { time: clockFace(-left) }),
      label: gettext("SLA overdue by %(duration)s", { duration: spoken(-left) }),
    };
  }
  const atRisk = now >= start + (deadline - start) * share;
  return {
    state: atRisk ? "at-risk" : "on-time",
    text: gettext("%(time)s left", { time: clockFace(left) }),
    label: atRisk
      ? gettext("SLA: %(duration)s left (at risk)", { duration: spoken(left) })
      : gettext("SLA: %(duration)s left", { duration: spoken(left) }),
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
