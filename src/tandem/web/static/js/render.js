// Render timeline items with textContent only: message text is never interpreted as HTML.
import { gettext, language } from "./i18n.js";

const AUTHOR_LABELS = { bot: gettext("AI assistant"), system: "Tandem", customer: gettext("You") };

function safeHref(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "#";
}

function linkList(label, sources, className) {
  const wrap = document.createElement("div");
  wrap.className = className;
  const heading = document.createElement("span");
  heading.textContent = label;
  wrap.append(heading);
  const list = document.createElement("ul");
  for (const source of sources) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = safeHref(source.url);
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = source.title;
    li.append(a);
    list.append(li);
  }
  wrap.append(list);
  return wrap;
}

function sizeLabel(bytes) {
  const [amount, unit] = bytes >= 1024 * 1024
    ? [Math.round(bytes / (1024 * 102.4)) / 10, "megabyte"]
    : bytes >= 1024 ? [Math.round(bytes / 1024), "kilobyte"] : [bytes, "byte"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: unit === "byte" ? "long" : "short" }).format(amount);
}

// Files the customer sent, as downloads (agents only: the customer has them already).
function attachmentList(attachments, base) {
  const wrap = document.createElement("div");
  wrap.className = "attachments";
  const heading = document.createElement("span");
  heading.textContent = gettext("Attachments:");
  wrap.append(heading);
  const list = document.createElement("ul");
  for (const file of attachments) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `${base}${Number(file.id)}`;
    a.download = file.filename;
    a.textContent = `${file.filename} (${sizeLabel(file.size)})`;
    li.append(a);
    list.append(li);
  }
  wrap.append(list);
  return wrap;
}

// Answers the customer can send with one tap; chat.js sends the button's text.
function quickReplies(replies, viewer) {
  const wrap = document.createElement("div");
  wrap.className = "quick-replies";
  wrap.setAttribute("role", "group");
  wrap.setAttribute("aria-label", gettext("Quick replies"));
  for (const reply of replies) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quick-reply";
    button.textContent = reply;
    button.disabled = viewer !== "customer";
    wrap.append(button);
  }
  return wrap;
}

// A <details> whose body the server renders, fetched the first time it is opened.
function lazyDetails({ className, title, url, failure, bodyClass, onLoad }) {
  const details = document.createElement("details");
  details.className = className;
  const summary = document.createElement("summary");
  summary.textContent = title;
  const body = document.createElement("div");
  if (bodyClass) body.className = bodyClass;
  body.textContent = gettext("Loading...");
  details.append(summary, body);
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      body.innerHTML = await response.text(); // server-rendered, escaped by the template
      if (onLoad) onLoad(body);
    } catch (error) {
      body.textContent = failure;
      delete details.dataset.loaded;
    }
  });
  return details;
}

// "Why did the bot say this?": the console fetches the explanation the first time it is opened.
function whyDetails(whyBase, seq) {
  return lazyDetails({
    className: "why",
    title: gettext("Why did the bot say this?"),
    url: `${whyBase}${seq}`,
    failure: gettext("The explanation could not be loaded; reload the page to try again."),
  });
}

// Flags on a bot answer: who said it was wrong and what is right, and the form to flag it, fetched
// the first time it is opened. After a flag is sent, the server redraws the whole block.
function answerFlags(flagBase, seq, summaries) {
  const wrap = document.createElement("div");
  wrap.className = "answer-flags";
  wrap.dataset.testid = "answer-flags";
  if (summaries.length) {
    const list = document.createElement("ul");
    list.className = "flag-list";
    for (const summary of summaries) {
      const li = document.createElement("li");
      li.className = "answer-flag";
      li.textContent = summary;
      list.append(li);
    }
    wrap.append(list);
  }
  wrap.append(
    lazyDetails({
      className: "flag-answer",
      title: gettext("Flag this answer as wrong"),
      url: `${flagBase}${seq}`,
      failure: gettext("The form could not be loaded; reload the page to try again."),
      bodyClass: "flag-body",
      onLoad: (body) => htmx.process(body),
    }),
  );
  return wrap;
}

export function renderItem(item, { viewer, attachmentsBase, whyBase, flagBase, flags }) {
  const li = document.createElement("li");
  li.dataset.seq = item.seq;
  if (item.type === "event") {
    li.className = "event";
    li.dataset.kind = item.kind;
    li.hidden = true; // events drive state; messages carry what people read
    return li;
  }
  li.className = `message from-${item.author}`;
  li.dataset.kind = item.kind || "";
  const who = document.createElement("span");
  who.className = "author";
  let label = item.author_name || AUTHOR_LABELS[item.author] || item.author;
  if (viewer === "agent" && item.author === "customer") label = gettext("Customer");
  who.textContent = label;
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = item.text;
  li.append(who, text);
  if (item.sources && item.sources.length) li.append(linkList(gettext("Source:"), item.sources, "sources"));
  if (item.attachments && item.attachments.length && attachmentsBase) {
    li.append(attachmentList(item.attachments, attachmentsBase));
  }
  if (item.suggestions && item.suggestions.length) {
    li.append(linkList(gettext("Suggested articles:"), item.suggestions, "suggestions"));
  }
  if (item.quick_replies && item.quick_replies.length) {
    li.append(quickReplies(item.quick_replies, viewer));
  }
  if (viewer === "agent" && item.author === "bot" && item.confidence != null) {
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = gettext("confidence %(confidence)s", { confidence: item.confidence.toFixed(2) });
    li.append(meta);
  }
  if (viewer === "agent" && item.author === "bot" && whyBase) li.append(whyDetails(whyBase, item.seq));
  if (viewer === "agent" && item.author === "bot" && item.kind === "answer" && flagBase) {
    li.append(answerFlags(flagBase, item.seq, (flags && flags[item.seq]) || []));
  }
  const time = document.createElement("time");
  time.dateTime = item.created_at;
  time.textContent = new Date(item.created_at).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
  li.append(time);
  return li;
}

export function appendItem(list, item, options) {
  if (list.querySelector(`[data-seq="${item.seq}"]`)) return;
  list.append(renderItem(item, options));
  list.scrollTop = list.scrollHeight;
}
