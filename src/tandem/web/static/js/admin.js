// Admin pages: draw the charts the server described, and re-run the what-if as it changes.
// Chart data sits in <script type="application/json" data-chart="CANVAS-ID"> blocks (not run).

function drawCharts() {
  if (typeof window.Chart !== "function") return; // the tables carry the same numbers
  for (const block of document.querySelectorAll("script[data-chart]")) {
    const canvas = document.getElementById(block.dataset.chart);
    if (canvas) new window.Chart(canvas, JSON.parse(block.textContent));
  }
}

function autoSubmit() {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    let timer = null;
    form.addEventListener("change", () => {
      clearTimeout(timer);
      timer = setTimeout(() => form.requestSubmit(), 400);
    });
  }
}

// On a narrow screen a data table scrolls sideways (admin.css). While it does, it takes focus
// itself, so a keyboard user can scroll it even when it holds no link (WCAG 2.1.1); a table
// that fits stays out of the tab order. Observed, so a table in a <details> counts once opened.
function focusableWhenScrolling() {
  const observer = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.scrollWidth > target.clientWidth) target.tabIndex = 0;
      else target.removeAttribute("tabindex");
    }
  });
  for (const table of document.querySelectorAll("table.data")) observer.observe(table);
}

drawCharts();
autoSubmit();
focusableWhenScrolling();
