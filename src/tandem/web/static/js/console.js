// The agent console: live queue, live transcript, idempotent replies.
import { followTimeline, newId } from "./live.js";
import { appendItem } from "./render.js";

// Every reply form submission carries a fresh client_msg_id; the server stores it once.
document.body.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form[data-idempotent]");
  if (form) event.detail.parameters.client_msg_id = newId();
});

const queue = document.querySelector("[data-live-queue]");
if (queue) {
  let first = true;
  const source = new EventSource(queue.dataset.liveQueue);
  source.addEventListener("queue", () => {
    if (first) {
      first = false; // the page was just rendered with the current queue
      return;
    }
    htmx.trigger(queue, "queue-changed");
  });
  source.onopen = () => {
    queue.dataset.connection = "live";
  };
  source.onerror = () => {
    queue.dataset.connection = "reconnecting";
    first = false; // after a reconnect, re-read the queue on the first event
  };
}

const transcript = document.querySelector("#transcript[data-stream]");
if (transcript) {
  followTimeline({
    url: transcript.dataset.stream,
    after: 0,
    onItem(item) {
      appendItem(transcript, item, { viewer: "agent" });
      if (item.type === "event") {
        const actions = document.getElementById("actions");
        if (actions && ["conversation.resolved", "conversation.assigned"].includes(item.kind)) {
          actions.dataset.stale = "true";
        }
      }
    },
    onState(state) {
      transcript.dataset.connection = state;
    },
  });
}
