// Tandem's chat widget loader: put it on any page of your site with one tag,
//   <script src="https://support.example.com/widget.js" data-key="pk_..." async></script>
// and, for a signed-in customer, data-customer-email (or data-customer-id), data-customer-name
// and data-customer-signature (HMAC-SHA256 of the e-mail or id with TANDEM_IDENTITY_SECRET).
// The chat runs in an isolated frame served by Tandem; this script only draws the launcher,
// opens and closes the frame, and shows how many replies arrived while it was closed.
// data-lang (en, de, ...) sets the chat's language; without it, the visitor's browser's. The
// launcher's texts come from the frame, in that language (English until it has loaded).
(() => {
  const script = document.currentScript;
  if (!script || window.tandemWidget) return;
  const base = new URL(script.src).origin;
  const data = script.dataset;
  const identity = data.customerSignature
    ? {
        email: data.customerEmail || null,
        external_id: data.customerId || null,
        name: data.customerName || null,
        signature: data.customerSignature,
      }
    : null;
  const openKey = "tandem.widget.open";
  // The chat's own keys (its conversation, what was read), kept on this page's storage for the
  // frame: a browser may refuse storage to a frame from another site.
  const prefix = `tandem-widget:${base}:`;
  function stored() {
    const values = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix)) values[key.slice(prefix.length)] = localStorage.getItem(key);
    }
    return values;
  }
  function store(key, value) {
    if (typeof key !== "string" || !key.startsWith("tandem.chat.") || key.length > 300) return;
    if (value === null) localStorage.removeItem(prefix + key);
    else if (typeof value === "string" && value.length <= 4000) localStorage.setItem(prefix + key, value);
  }

  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "tandem-launcher";
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  let texts = {};
  const gettext = (text, values = {}) =>
    (texts[text] || text).replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
  const label = document.createElement("span");
  label.textContent = data.label || gettext("Chat with us");
  const badge = document.createElement("span");
  badge.className = "tandem-unread";
  badge.hidden = true;
  launcher.append(label, badge);

  const frame = document.createElement("iframe");
  frame.className = "tandem-frame";
  frame.title = data.title || gettext("Chat with customer service");
  frame.hidden = true;
  const query = new URLSearchParams({ key: data.key || "", origin: location.origin });
  if (data.lang) query.set("lang", data.lang);
  frame.src = `${base}/widget/frame?${query}`;

  Object.assign(launcher.style, {
    position: "fixed", right: "20px", bottom: "20px", zIndex: "2147483646",
    padding: "12px 18px", border: "0", borderRadius: "24px", cursor: "pointer",
    background: data.color || "#1d4ed8", color: "#fff", font: "600 15px/1.2 system-ui, sans-serif",
    boxShadow: "0 4px 14px rgba(0,0,0,.25)",
  });
  Object.assign(badge.style, {
    marginLeft: "8px", padding: "1px 7px", borderRadius: "10px",
    background: "#dc2626", color: "#fff", fontSize: "13px",
  });
  const phone = window.matchMedia("(max-width: 600px)");
  function place() {
    Object.assign(frame.style, phone.matches
      ? { position: "fixed", inset: "0", width: "100vw", height: "100dvh", border: "0",
          borderRadius: "0", zIndex: "2147483647", background: "#fff" }
      : { position: "fixed", right: "20px", bottom: "84px", width: "380px",
          height: "min(620px, calc(100vh - 110px))", border: "1px solid #d1d5db",
          borderRadius: "12px", zIndex: "2147483647", background: "#fff",
          boxShadow: "0 8px 30px rgba(0,0,0,.25)", inset: "auto 20px 84px auto" });
  }
  place();
  phone.addEventListener("change", place);

  function tell(message) {
    if (frame.contentWindow) frame.contentWindow.postMessage(message, base);
  }

  function setOpen(open) {
    frame.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.hidden = open && phone.matches; // the frame covers the screen; it has a close button
    sessionStorage.setItem(openKey, open ? "1" : "0");
    tell({ type: "tandem:visibility", open });
    if (open) frame.focus();
  }

  launcher.addEventListener("click", () => setOpen(frame.hidden));

  window.addEventListener("message", (event) => {
    if (event.origin !== base || event.source !== frame.contentWindow) return;
    const message = event.data || {};
    if (message.type === "tandem:ready") {
      if (message.texts && typeof message.texts === "object") {
        texts = message.texts;
        label.textContent = data.label || gettext("Chat with us");
        frame.title = data.title || gettext("Chat with customer service");
      }
      tell({ type: "tandem:identity", identity, storage: stored() });
      tell({ type: "tandem:visibility", open: !frame.hidden });
    } else if (message.type === "tandem:unread") {
      const count = Number(message.count) || 0;
      badge.textContent = String(count);
      badge.hidden = count === 0;
      launcher.setAttribute(
        "aria-label",
        count ? gettext("%(label)s (%(count)s new)", { label: label.textContent, count }) : label.textContent,
      );
    } else if (message.type === "tandem:store") {
      store(message.key, message.value);
    } else if (message.type === "tandem:close") {
      setOpen(false);
      launcher.focus();
    }
  });

  document.body.append(frame, launcher);
  window.tandemWidget = { open: () => setOpen(true), close: () => setOpen(false) };
  if (sessionStorage.getItem(openKey) === "1") setOpen(true);
})();
